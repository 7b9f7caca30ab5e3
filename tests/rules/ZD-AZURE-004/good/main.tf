variable "admin_source" {}

# SSH only from a known range
resource "azurerm_network_security_rule" "ssh_vpn" {
  name                        = "ssh-vpn"
  priority                    = 100
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = "22"
  source_address_prefix       = "10.20.0.0/16"
  destination_address_prefix  = "*"
  resource_group_name         = "rg-net"
  network_security_group_name = "nsg-app"
}

# a Deny rule is not an exposure
resource "azurerm_network_security_rule" "deny_rdp" {
  name                        = "deny-rdp"
  priority                    = 110
  direction                   = "Inbound"
  access                      = "Deny"
  protocol                    = "*"
  source_port_range           = "*"
  destination_port_range      = "3389"
  source_address_prefix       = "Internet"
  destination_address_prefix  = "*"
  resource_group_name         = "rg-net"
  network_security_group_name = "nsg-app"
}

# unresolvable: unknown is never reported as a failure
resource "azurerm_network_security_rule" "configurable" {
  name                        = "ssh-configurable"
  priority                    = 120
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = "22"
  source_address_prefix       = var.admin_source
  destination_address_prefix  = "*"
  resource_group_name         = "rg-net"
  network_security_group_name = "nsg-app"
}

resource "azurerm_network_security_group" "inline" {
  name                = "nsg-inline"
  location            = "westeurope"
  resource_group_name = "rg-net"

  # a public web port is not SSH or RDP
  security_rule {
    name                       = "https"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_ranges    = ["80", "443", "8000-8100"]
    source_address_prefix      = "*"
    destination_address_prefix = "*"
  }

  # outbound SSH to anywhere is not inbound exposure
  security_rule {
    name                       = "ssh-out"
    priority                   = 110
    direction                  = "Outbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "22"
    source_address_prefix      = "*"
    destination_address_prefix = "*"
  }

  # UDP only: not an SSH or RDP session
  security_rule {
    name                       = "udp-3389"
    priority                   = 120
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Udp"
    source_port_range          = "*"
    destination_port_range     = "3389"
    source_address_prefix      = "Internet"
    destination_address_prefix = "*"
  }

  # from the virtual network service tag, not the internet
  security_rule {
    name                       = "ssh-vnet"
    priority                   = 130
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "22"
    source_address_prefix      = "VirtualNetwork"
    destination_address_prefix = "*"
  }
}
