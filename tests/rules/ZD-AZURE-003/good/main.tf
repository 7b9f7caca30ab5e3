variable "access" {}

resource "azurerm_storage_container" "default_private" {
  name                 = "data"
  storage_account_name = "stdata"
}

resource "azurerm_storage_container" "explicit_private" {
  name                  = "backups"
  storage_account_id    = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/stdata"
  container_access_type = "private"
}

# unresolvable: unknown is never reported as a failure
resource "azurerm_storage_container" "configurable" {
  name                  = "configurable"
  storage_account_name  = "stdata"
  container_access_type = var.access
}
