variable "office" {
  default = "203.0.113.0/24"
}

variable "unknown_source" {}

# all ports, but only from a known network
resource "azurerm_network_security_rule" "office_all" {
  name                        = "office-all"
  priority                    = 100
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "*"
  source_port_range           = "*"
  destination_port_range      = "*"
  source_address_prefix       = var.office
  destination_address_prefix  = "*"
  resource_group_name         = "rg-net"
  network_security_group_name = "nsg-app"
}

# unresolvable: unknown is never reported as a failure
resource "azurerm_network_security_rule" "configurable" {
  name                        = "configurable"
  priority                    = 110
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "*"
  source_port_range           = "*"
  destination_port_range      = "*"
  source_address_prefix       = var.unknown_source
  destination_address_prefix  = "*"
  resource_group_name         = "rg-net"
  network_security_group_name = "nsg-app"
}

resource "azurerm_network_security_group" "inline" {
  name                = "nsg-inline"
  location            = "westeurope"
  resource_group_name = "rg-net"

  # wide but partial range: not this rule
  security_rule {
    name                       = "high-ports"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "1024-65535"
    source_address_prefix      = "*"
    destination_address_prefix = "*"
  }

  # ICMP has no ports
  security_rule {
    name                       = "ping"
    priority                   = 110
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Icmp"
    source_port_range          = "*"
    destination_port_range     = "*"
    source_address_prefix      = "*"
    destination_address_prefix = "*"
  }

  # everything denied from the internet
  security_rule {
    name                       = "deny-all"
    priority                   = 4000
    direction                  = "Inbound"
    access                     = "Deny"
    protocol                   = "*"
    source_port_range          = "*"
    destination_port_range     = "*"
    source_address_prefix      = "Internet"
    destination_address_prefix = "*"
  }

  # all outbound traffic is not ingress
  security_rule {
    name                       = "out-all"
    priority                   = 100
    direction                  = "Outbound"
    access                     = "Allow"
    protocol                   = "*"
    source_port_range          = "*"
    destination_port_range     = "*"
    source_address_prefix      = "*"
    destination_address_prefix = "Internet"
  }
}
