# omitted local_account_disabled: local accounts stay enabled
resource "azurerm_kubernetes_cluster" "defaults" {
  name                = "aks-defaults"
  location            = "westeurope"
  resource_group_name = "rg-aks"
  dns_prefix          = "defaults"

  default_node_pool {
    name       = "system"
    node_count = 1
    vm_size    = "Standard_D2s_v5"
  }

  identity {
    type = "SystemAssigned"
  }
}

resource "azurerm_kubernetes_cluster" "no_rbac" {
  name                              = "aks-norbac"
  location                          = "westeurope"
  resource_group_name               = "rg-aks"
  dns_prefix                        = "norbac"
  role_based_access_control_enabled = false
  local_account_disabled            = false

  default_node_pool {
    name       = "system"
    node_count = 1
    vm_size    = "Standard_D2s_v5"
  }

  identity {
    type = "SystemAssigned"
  }
}

# azurerm v2 syntax
resource "azurerm_kubernetes_cluster" "legacy" {
  name                   = "aks-legacy"
  location               = "westeurope"
  resource_group_name    = "rg-aks"
  dns_prefix             = "legacy"
  local_account_disabled = true

  role_based_access_control {
    enabled = false
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
