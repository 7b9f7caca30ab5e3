resource "azurerm_mssql_server_extended_auditing_policy" "off" {
  server_id              = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Sql/servers/sql-app"
  enabled                = false
  log_monitoring_enabled = false
}

resource "azurerm_mssql_server_extended_auditing_policy" "short" {
  server_id         = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Sql/servers/sql-app"
  storage_endpoint  = azurerm_storage_account.audit.primary_blob_endpoint
  retention_in_days = 30
}

variable "db_audit_days" {
  default = 7
}

resource "azurerm_mssql_database_extended_auditing_policy" "short" {
  database_id       = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Sql/servers/sql-app/databases/app"
  storage_endpoint  = azurerm_storage_account.audit.primary_blob_endpoint
  retention_in_days = var.db_audit_days
}

resource "azurerm_mssql_database_extended_auditing_policy" "ninety" {
  database_id       = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Sql/servers/sql-app/databases/reports"
  storage_endpoint  = azurerm_storage_account.audit.primary_blob_endpoint
  retention_in_days = 90
}
