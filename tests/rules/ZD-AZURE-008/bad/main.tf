# omitted: the default is false
resource "azurerm_key_vault" "defaults" {
  name                = "kv-defaults"
  location            = "westeurope"
  resource_group_name = "rg-sec"
  tenant_id           = "00000000-0000-0000-0000-000000000000"
  sku_name            = "standard"
}

resource "azurerm_key_vault" "explicit" {
  name                       = "kv-explicit"
  location                   = "westeurope"
  resource_group_name        = "rg-sec"
  tenant_id                  = "00000000-0000-0000-0000-000000000000"
  sku_name                   = "premium"
  soft_delete_retention_days = 7
  purge_protection_enabled   = false
}

resource "azurerm_key_vault_managed_hardware_security_module" "hsm" {
  name                     = "hsm-app"
  resource_group_name      = "rg-sec"
  location                 = "westeurope"
  sku_name                 = "Standard_B1"
  tenant_id                = "00000000-0000-0000-0000-000000000000"
  admin_object_ids         = ["11111111-1111-1111-1111-111111111111"]
  purge_protection_enabled = false
}
