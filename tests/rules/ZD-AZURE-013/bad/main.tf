# https_only omitted: the default is false
resource "azurerm_linux_web_app" "defaults" {
  name                = "app-defaults"
  resource_group_name = "rg-web"
  location            = "westeurope"
  service_plan_id     = "/subscriptions/0000/resourceGroups/rg-web/providers/Microsoft.Web/serverFarms/plan"

  site_config {}
}

resource "azurerm_windows_web_app" "old_tls" {
  name                = "app-oldtls"
  resource_group_name = "rg-web"
  location            = "westeurope"
  service_plan_id     = "/subscriptions/0000/resourceGroups/rg-web/providers/Microsoft.Web/serverFarms/plan"
  https_only          = true

  site_config {
    minimum_tls_version = "1.0"
  }
}

resource "azurerm_linux_function_app" "scm_tls" {
  name                       = "func-scm"
  resource_group_name        = "rg-web"
  location                   = "westeurope"
  service_plan_id            = "/subscriptions/0000/resourceGroups/rg-web/providers/Microsoft.Web/serverFarms/plan"
  storage_account_name       = "stfunc"
  storage_account_access_key = var.storage_key
  https_only                 = true

  site_config {
    scm_minimum_tls_version = "1.1"
  }
}

resource "azurerm_windows_web_app_slot" "staging" {
  name           = "staging"
  app_service_id = azurerm_windows_web_app.old_tls.id
  https_only     = false

  site_config {}
}

# legacy azurerm v2/v3 resource
resource "azurerm_app_service" "legacy" {
  name                = "app-legacy"
  location            = "westeurope"
  resource_group_name = "rg-web"
  app_service_plan_id = "/subscriptions/0000/resourceGroups/rg-web/providers/Microsoft.Web/serverFarms/plan"
  https_only          = true

  site_config {
    min_tls_version = "1.1"
  }
}
