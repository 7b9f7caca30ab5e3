variable "retention" {}

# defaults: enabled, retention 0 (forever)
resource "azurerm_mssql_server_extended_auditing_policy" "defaults" {
  server_id        = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Sql/servers/sql-app"
  storage_endpoint = azurerm_storage_account.audit.primary_blob_endpoint
}

resource "azurerm_mssql_server_extended_auditing_policy" "above_ninety" {
  server_id         = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Sql/servers/sql-other"
  enabled           = true
  storage_endpoint  = azurerm_storage_account.audit.primary_blob_endpoint
  retention_in_days = 91
}

resource "azurerm_mssql_database_extended_auditing_policy" "log_analytics" {
  database_id            = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Sql/servers/sql-app/databases/app"
  log_monitoring_enabled = true
}

# unresolvable: unknown is never reported as a failure
resource "azurerm_mssql_database_extended_auditing_policy" "configurable" {
  database_id       = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Sql/servers/sql-app/databases/other"
  storage_endpoint  = azurerm_storage_account.audit.primary_blob_endpoint
  retention_in_days = var.retention
}
