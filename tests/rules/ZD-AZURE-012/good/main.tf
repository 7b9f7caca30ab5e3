variable "host_encryption" {}

resource "azurerm_linux_virtual_machine" "encrypted" {
  name                       = "vm-app"
  resource_group_name        = "rg-app"
  location                   = "westeurope"
  size                       = "Standard_D2s_v5"
  admin_username             = "azureuser"
  network_interface_ids      = ["/subscriptions/0000/resourceGroups/rg-app/providers/Microsoft.Network/networkInterfaces/nic-app"]
  encryption_at_host_enabled = true

  admin_ssh_key {
    username   = "azureuser"
    public_key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample"
  }

  os_disk {
    caching              = "ReadWrite"
    storage_account_type = "Premium_LRS"
  }

  source_image_reference {
    publisher = "Canonical"
    offer     = "ubuntu-24_04-lts"
    sku       = "server"
    version   = "latest"
  }
}

# azurerm v3 attribute name
resource "azurerm_kubernetes_cluster" "aks_v3" {
  name                = "aks-v3"
  location            = "westeurope"
  resource_group_name = "rg-aks"
  dns_prefix          = "v3"

  default_node_pool {
    name                   = "system"
    node_count             = 1
    vm_size                = "Standard_D2s_v5"
    enable_host_encryption = true
  }

  identity {
    type = "SystemAssigned"
  }
}

# azurerm v4 attribute name
resource "azurerm_kubernetes_cluster_node_pool" "user" {
  name                    = "user"
  kubernetes_cluster_id   = azurerm_kubernetes_cluster.aks_v3.id
  vm_size                 = "Standard_D4s_v5"
  node_count              = 2
  host_encryption_enabled = true
}

# unresolvable: unknown is never reported as a failure
resource "azurerm_kubernetes_cluster_node_pool" "configurable" {
  name                    = "batch"
  kubernetes_cluster_id   = azurerm_kubernetes_cluster.aks_v3.id
  vm_size                 = "Standard_D4s_v5"
  node_count              = 1
  host_encryption_enabled = var.host_encryption
}
