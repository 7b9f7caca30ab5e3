variable "end_ip" {}

resource "azurerm_mssql_firewall_rule" "office" {
  name             = "office"
  server_id        = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Sql/servers/sql-app"
  start_ip_address = "203.0.113.0"
  end_ip_address   = "203.0.113.255"
}

# "Allow Azure services": a different (narrower) problem, not this rule
resource "azurerm_mssql_firewall_rule" "azure_services" {
  name             = "AllowAllWindowsAzureIps"
  server_id        = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Sql/servers/sql-app"
  start_ip_address = "0.0.0.0"
  end_ip_address   = "0.0.0.0"
}

# unresolvable: unknown is never reported as a failure
resource "azurerm_mysql_flexible_server_firewall_rule" "configurable" {
  name                = "configurable"
  resource_group_name = "rg"
  server_name         = "mysql-app"
  start_ip_address    = "0.0.0.0"
  end_ip_address      = var.end_ip
}
