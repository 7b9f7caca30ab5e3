variable "kv_default_action" {}

resource "azurerm_key_vault" "restricted" {
  name                = "kv-restricted"
  location            = "westeurope"
  resource_group_name = "rg-sec"
  tenant_id           = "00000000-0000-0000-0000-000000000000"
  sku_name            = "standard"

  network_acls {
    bypass                     = "AzureServices"
    default_action             = "Deny"
    ip_rules                   = ["203.0.113.0/24"]
    virtual_network_subnet_ids = ["/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/app"]
  }
}

# private endpoint only: network rules do not apply
resource "azurerm_key_vault" "private" {
  name                          = "kv-private"
  location                      = "westeurope"
  resource_group_name           = "rg-sec"
  tenant_id                     = "00000000-0000-0000-0000-000000000000"
  sku_name                      = "standard"
  public_network_access_enabled = false
}

# unresolvable: unknown is never reported as a failure
resource "azurerm_key_vault" "configurable" {
  name                = "kv-configurable"
  location            = "westeurope"
  resource_group_name = "rg-sec"
  tenant_id           = "00000000-0000-0000-0000-000000000000"
  sku_name            = "standard"

  network_acls {
    bypass         = "AzureServices"
    default_action = var.kv_default_action
  }
}
