resource "azurerm_storage_container" "assets" {
  name                  = "assets"
  storage_account_name  = "stweb"
  container_access_type = "blob"
}

variable "access" {
  default = "container"
}

# azurerm v4 style, access level from a variable default
resource "azurerm_storage_container" "downloads" {
  name                  = "downloads"
  storage_account_id    = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/stweb"
  container_access_type = var.access
}
