variable "admin_ranges" {
  default = ["203.0.113.0/24"]
}

variable "unknown_ranges" {}

resource "azurerm_kubernetes_cluster" "private" {
  name                    = "aks-private"
  location                = "westeurope"
  resource_group_name     = "rg-aks"
  dns_prefix              = "private"
  private_cluster_enabled = true

  default_node_pool {
    name       = "system"
    node_count = 1
    vm_size    = "Standard_D2s_v5"
  }

  identity {
    type = "SystemAssigned"
  }
}

resource "azurerm_kubernetes_cluster" "restricted" {
  name                = "aks-restricted"
  location            = "westeurope"
  resource_group_name = "rg-aks"
  dns_prefix          = "restricted"

  api_server_access_profile {
    authorized_ip_ranges = var.admin_ranges
  }

  default_node_pool {
    name       = "system"
    node_count = 1
    vm_size    = "Standard_D2s_v5"
  }

  identity {
    type = "SystemAssigned"
  }
}

# azurerm v3 (before 3.39) argument
resource "azurerm_kubernetes_cluster" "legacy_restricted" {
  name                            = "aks-legacy"
  location                        = "westeurope"
  resource_group_name             = "rg-aks"
  dns_prefix                      = "legacy"
  api_server_authorized_ip_ranges = ["198.51.100.0/24"]

  default_node_pool {
    name       = "system"
    node_count = 1
    vm_size    = "Standard_D2s_v5"
  }

  identity {
    type = "SystemAssigned"
  }
}

# unresolvable: unknown is never reported as a failure
resource "azurerm_kubernetes_cluster" "configurable" {
  name                = "aks-configurable"
  location            = "westeurope"
  resource_group_name = "rg-aks"
  dns_prefix          = "configurable"

  api_server_access_profile {
    authorized_ip_ranges = var.unknown_ranges
  }

  default_node_pool {
    name       = "system"
    node_count = 1
    vm_size    = "Standard_D2s_v5"
  }

  identity {
    type = "SystemAssigned"
  }
}
