variable "https_only" {}

resource "azurerm_linux_web_app" "secure" {
  name                = "app-secure"
  resource_group_name = "rg-web"
  location            = "westeurope"
  service_plan_id     = "/subscriptions/0000/resourceGroups/rg-web/providers/Microsoft.Web/serverFarms/plan"
  https_only          = true

  site_config {
    minimum_tls_version     = "1.2"
    scm_minimum_tls_version = "1.2"
  }
}

resource "azurerm_windows_function_app" "tls13" {
  name                       = "func-tls13"
  resource_group_name        = "rg-web"
  location                   = "westeurope"
  service_plan_id            = "/subscriptions/0000/resourceGroups/rg-web/providers/Microsoft.Web/serverFarms/plan"
  storage_account_name       = "stfunc"
  storage_account_access_key = var.storage_key
  https_only                 = true

  site_config {
    minimum_tls_version = "1.3"
  }
}

resource "azurerm_function_app" "legacy" {
  name                       = "func-legacy"
  location                   = "westeurope"
  resource_group_name        = "rg-web"
  app_service_plan_id        = "/subscriptions/0000/resourceGroups/rg-web/providers/Microsoft.Web/serverFarms/plan"
  storage_account_name       = "stfunc"
  storage_account_access_key = var.storage_key
  https_only                 = true
}

# unresolvable: unknown is never reported as a failure
resource "azurerm_linux_web_app" "configurable" {
  name                = "app-configurable"
  resource_group_name = "rg-web"
  location            = "westeurope"
  service_plan_id     = "/subscriptions/0000/resourceGroups/rg-web/providers/Microsoft.Web/serverFarms/plan"
  https_only          = var.https_only

  site_config {}
}
