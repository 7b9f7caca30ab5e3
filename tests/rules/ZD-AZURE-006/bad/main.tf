resource "azurerm_mssql_firewall_rule" "everyone" {
  name             = "AllowAll"
  server_id        = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Sql/servers/sql-app"
  start_ip_address = "0.0.0.0"
  end_ip_address   = "255.255.255.255"
}

variable "last_ip" {
  default = "255.255.255.255"
}

resource "azurerm_postgresql_flexible_server_firewall_rule" "everyone" {
  name             = "allow-all"
  server_id        = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.DBforPostgreSQL/flexibleServers/pg-app"
  start_ip_address = "0.0.0.0"
  end_ip_address   = var.last_ip
}

# azurerm v3 legacy resource
resource "azurerm_sql_firewall_rule" "legacy" {
  name                = "AllowAll"
  resource_group_name = "rg"
  server_name         = "sql-legacy"
  start_ip_address    = "0.0.0.0"
  end_ip_address      = "255.255.255.255"
}
