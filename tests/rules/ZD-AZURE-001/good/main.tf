variable "nested_public" {}

resource "azurerm_storage_account" "private" {
  name                            = "stprivate"
  resource_group_name             = "rg-data"
  location                        = "westeurope"
  account_tier                    = "Standard"
  account_replication_type        = "LRS"
  allow_nested_items_to_be_public = false
}

# azurerm v2 name set to false, nothing else
resource "azurerm_storage_account" "legacy_private" {
  name                     = "stlegacyprivate"
  resource_group_name      = "rg-data"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "LRS"
  allow_blob_public_access = false
}

# FileStorage accounts have no blob service
resource "azurerm_storage_account" "files" {
  name                     = "stfilesonly"
  resource_group_name      = "rg-data"
  location                 = "westeurope"
  account_kind             = "FileStorage"
  account_tier             = "Premium"
  account_replication_type = "LRS"
}

# unresolvable: unknown is never reported as a failure
resource "azurerm_storage_account" "configurable" {
  name                            = "stconfigurable"
  resource_group_name             = "rg-data"
  location                        = "westeurope"
  account_tier                    = "Standard"
  account_replication_type        = "LRS"
  allow_nested_items_to_be_public = var.nested_public
}
