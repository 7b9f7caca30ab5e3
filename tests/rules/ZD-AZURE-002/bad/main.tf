# azurerm v4 argument name
resource "azurerm_storage_account" "http_v4" {
  name                       = "sthttpv4"
  resource_group_name        = "rg-data"
  location                   = "westeurope"
  account_tier               = "Standard"
  account_replication_type   = "LRS"
  https_traffic_only_enabled = false
}

# azurerm v3 argument name
resource "azurerm_storage_account" "http_v3" {
  name                      = "sthttpv3"
  resource_group_name       = "rg-data"
  location                  = "westeurope"
  account_tier              = "Standard"
  account_replication_type  = "LRS"
  enable_https_traffic_only = "false"
}

variable "tls" {
  default = "TLS1_0"
}

resource "azurerm_storage_account" "old_tls" {
  name                     = "stoldtls"
  resource_group_name      = "rg-data"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "LRS"
  min_tls_version          = var.tls
}

resource "azurerm_storage_account" "tls11" {
  name                       = "sttls11"
  resource_group_name        = "rg-data"
  location                   = "westeurope"
  account_tier               = "Standard"
  account_replication_type   = "LRS"
  https_traffic_only_enabled = true
  min_tls_version            = "TLS1_1"
}
