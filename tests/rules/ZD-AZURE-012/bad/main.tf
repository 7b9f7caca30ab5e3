resource "azurerm_linux_virtual_machine" "defaults" {
  name                  = "vm-app"
  resource_group_name   = "rg-app"
  location              = "westeurope"
  size                  = "Standard_D2s_v5"
  admin_username        = "azureuser"
  network_interface_ids = ["/subscriptions/0000/resourceGroups/rg-app/providers/Microsoft.Network/networkInterfaces/nic-app"]

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

resource "azurerm_windows_virtual_machine_scale_set" "explicit_off" {
  name                       = "vmss-win"
  resource_group_name        = "rg-app"
  location                   = "westeurope"
  sku                        = "Standard_D2s_v5"
  instances                  = 2
  admin_username             = "azureadmin"
  admin_password             = var.admin_password
  encryption_at_host_enabled = false

  os_disk {
    caching              = "ReadWrite"
    storage_account_type = "Premium_LRS"
  }
}

# azurerm v4 attribute name, set to false
resource "azurerm_kubernetes_cluster" "aks" {
  name                = "aks-app"
  location            = "westeurope"
  resource_group_name = "rg-aks"
  dns_prefix          = "app"

  default_node_pool {
    name                    = "system"
    node_count              = 1
    vm_size                 = "Standard_D2s_v5"
    host_encryption_enabled = false
  }

  identity {
    type = "SystemAssigned"
  }
}

# azurerm v3 attribute name, omitted
resource "azurerm_kubernetes_cluster_node_pool" "user" {
  name                  = "user"
  kubernetes_cluster_id = azurerm_kubernetes_cluster.aks.id
  vm_size               = "Standard_D4s_v5"
  node_count            = 2
}
