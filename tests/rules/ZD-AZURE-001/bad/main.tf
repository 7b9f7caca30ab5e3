# azurerm v3/v4: explicit true
resource "azurerm_storage_account" "explicit" {
  name                            = "stexplicitpublic"
  resource_group_name             = "rg-data"
  location                        = "westeurope"
  account_tier                    = "Standard"
  account_replication_type        = "LRS"
  allow_nested_items_to_be_public = true
}

# omitted: the azurerm v3/v4 default is true
resource "azurerm_storage_account" "defaults" {
  name                     = "stdefaultpublic"
  resource_group_name      = "rg-data"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "GRS"
}

variable "public_blobs" {
  default = "true"
}

# azurerm v2 name, value from a variable default
resource "azurerm_storage_account" "legacy" {
  name                     = "stlegacypublic"
  resource_group_name      = "rg-data"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "LRS"
  allow_blob_public_access = var.public_blobs
}
