variable "client_range" {}

resource "google_sql_database_instance" "office_only" {
  name             = "pg-office"
  database_version = "POSTGRES_16"
  region           = "europe-west1"

  settings {
    tier = "db-custom-2-7680"

    ip_configuration {
      ssl_mode = "ENCRYPTED_ONLY"

      authorized_networks {
        name  = "office"
        value = "203.0.113.0/24"
      }
    }
  }
}

# private IP only: authorized networks do not apply
resource "google_sql_database_instance" "private" {
  name             = "pg-private"
  database_version = "POSTGRES_16"
  region           = "europe-west1"

  settings {
    tier = "db-custom-2-7680"

    ip_configuration {
      ipv4_enabled    = false
      private_network = "projects/acme-prod/global/networks/prod"

      authorized_networks {
        name  = "stale"
        value = "0.0.0.0/0"
      }
    }
  }
}

# unresolvable: unknown is never reported as a failure
resource "google_sql_database_instance" "configurable" {
  name             = "pg-configurable"
  database_version = "POSTGRES_16"
  region           = "europe-west1"

  settings {
    tier = "db-custom-2-7680"

    ip_configuration {
      authorized_networks {
        name  = "clients"
        value = var.client_range
      }
    }
  }
}
