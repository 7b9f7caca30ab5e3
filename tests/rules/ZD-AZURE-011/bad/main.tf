# public cluster without authorized IP ranges
resource "azurerm_kubernetes_cluster" "open" {
  name                = "aks-open"
  location            = "westeurope"
  resource_group_name = "rg-aks"
  dns_prefix          = "open"

  default_node_pool {
    name       = "system"
    node_count = 1
    vm_size    = "Standard_D2s_v5"
  }

  identity {
    type = "SystemAssigned"
  }
}

resource "azurerm_kubernetes_cluster" "world_range" {
  name                    = "aks-world"
  location                = "westeurope"
  resource_group_name     = "rg-aks"
  dns_prefix              = "world"
  private_cluster_enabled = false

  api_server_access_profile {
    authorized_ip_ranges = [
      "203.0.113.0/24",
      "0.0.0.0/0",
    ]
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

# empty list: no restriction
resource "azurerm_kubernetes_cluster" "empty_ranges" {
  name                = "aks-empty"
  location            = "westeurope"
  resource_group_name = "rg-aks"
  dns_prefix          = "empty"

  api_server_access_profile {
    authorized_ip_ranges = []
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
