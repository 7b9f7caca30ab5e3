variable "https_only" {}

# defaults of azurerm v3/v4: HTTPS only, TLS 1.2
resource "azurerm_storage_account" "defaults" {
  name                     = "stdefaults"
  resource_group_name      = "rg-data"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "LRS"
}

resource "azurerm_storage_account" "explicit" {
  name                       = "stexplicit"
  resource_group_name        = "rg-data"
  location                   = "westeurope"
  account_tier               = "Standard"
  account_replication_type   = "LRS"
  https_traffic_only_enabled = true
  min_tls_version            = "TLS1_2"
}

resource "azurerm_storage_account" "legacy_name" {
  name                      = "stlegacyname"
  resource_group_name       = "rg-data"
  location                  = "westeurope"
  account_tier              = "Standard"
  account_replication_type  = "LRS"
  enable_https_traffic_only = true
}

# unresolvable: unknown is never reported as a failure
resource "azurerm_storage_account" "configurable" {
  name                       = "stconfigurable"
  resource_group_name        = "rg-data"
  location                   = "westeurope"
  account_tier               = "Standard"
  account_replication_type   = "LRS"
  https_traffic_only_enabled = var.https_only
}
