resource "azurerm_linux_function_app" "reports" {
  name                       = "zd-reports"
  resource_group_name        = "rg-reports"
  location                   = "westeurope"
  service_plan_id            = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-reports/providers/Microsoft.Web/serverFarms/plan"
  storage_account_name       = "zdfixturestore"
  storage_account_access_key = azurerm_storage_account.reports.primary_access_key

  site_config {}
}
