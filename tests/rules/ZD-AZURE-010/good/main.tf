variable "disable_local" {}

resource "azurerm_kubernetes_cluster" "entra_only" {
  name                   = "aks-entra"
  location               = "westeurope"
  resource_group_name    = "rg-aks"
  dns_prefix             = "entra"
  local_account_disabled = true

  azure_active_directory_role_based_access_control {
    azure_rbac_enabled     = true
    admin_group_object_ids = ["22222222-2222-2222-2222-222222222222"]
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

# unresolvable: unknown is never reported as a failure
resource "azurerm_kubernetes_cluster" "configurable" {
  name                              = "aks-configurable"
  location                          = "westeurope"
  resource_group_name               = "rg-aks"
  dns_prefix                        = "configurable"
  role_based_access_control_enabled = true
  local_account_disabled            = var.disable_local

  default_node_pool {
    name       = "system"
    node_count = 1
    vm_size    = "Standard_D2s_v5"
  }

  identity {
    type = "SystemAssigned"
  }
}
