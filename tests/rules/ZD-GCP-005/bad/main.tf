resource "google_sql_database_instance" "open" {
  name             = "pg-open"
  database_version = "POSTGRES_16"
  region           = "europe-west1"

  settings {
    tier = "db-custom-2-7680"

    ip_configuration {
      authorized_networks {
        name  = "office"
        value = "203.0.113.0/24"
      }

      authorized_networks {
        name  = "anyone"
        value = "0.0.0.0/0"
      }
    }
  }
}

variable "world" {
  default = "0.0.0.0/0"
}

resource "google_sql_database_instance" "explicit_public" {
  name             = "mysql-open"
  database_version = "MYSQL_8_0"
  region           = "europe-west1"

  settings {
    tier = "db-n1-standard-1"

    ip_configuration {
      ipv4_enabled = true

      authorized_networks {
        name  = "world"
        value = var.world
      }
    }
  }
}
