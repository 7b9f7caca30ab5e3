variable "purge_protection" {}

resource "azurerm_key_vault" "protected" {
  name                       = "kv-protected"
  location                   = "westeurope"
  resource_group_name        = "rg-sec"
  tenant_id                  = "00000000-0000-0000-0000-000000000000"
  sku_name                   = "standard"
  soft_delete_retention_days = 90
  purge_protection_enabled   = true
}

# unresolvable: unknown is never reported as a failure
resource "azurerm_key_vault" "configurable" {
  name                     = "kv-configurable"
  location                 = "westeurope"
  resource_group_name      = "rg-sec"
  tenant_id                = "00000000-0000-0000-0000-000000000000"
  sku_name                 = "standard"
  purge_protection_enabled = var.purge_protection
}
