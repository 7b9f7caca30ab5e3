# no network_acls: all networks are allowed
resource "azurerm_key_vault" "defaults" {
  name                     = "kv-defaults"
  location                 = "westeurope"
  resource_group_name      = "rg-sec"
  tenant_id                = "00000000-0000-0000-0000-000000000000"
  sku_name                 = "standard"
  purge_protection_enabled = true
}

resource "azurerm_key_vault" "allow" {
  name                          = "kv-allow"
  location                      = "westeurope"
  resource_group_name           = "rg-sec"
  tenant_id                     = "00000000-0000-0000-0000-000000000000"
  sku_name                      = "standard"
  public_network_access_enabled = true

  network_acls {
    bypass         = "AzureServices"
    default_action = "Allow"
    ip_rules       = ["203.0.113.0/24"]
  }
}
