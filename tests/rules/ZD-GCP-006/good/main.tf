variable "ssl_mode" {}

resource "google_sql_database_instance" "encrypted" {
  name             = "pg-encrypted"
  database_version = "POSTGRES_16"
  region           = "europe-west1"

  settings {
    tier = "db-custom-2-7680"

    ip_configuration {
      ssl_mode = "ENCRYPTED_ONLY"
    }
  }
}

resource "google_sql_database_instance" "mtls" {
  name             = "mysql-mtls"
  database_version = "MYSQL_8_0"
  region           = "europe-west1"

  settings {
    tier = "db-n1-standard-1"

    ip_configuration {
      ssl_mode = "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"
    }
  }
}

# google provider v5 legacy flag
resource "google_sql_database_instance" "legacy_required" {
  name             = "mysql-legacy"
  database_version = "MYSQL_8_0"
  region           = "europe-west1"

  settings {
    tier = "db-n1-standard-1"

    ip_configuration {
      require_ssl = true
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
      ssl_mode = var.ssl_mode
    }
  }
}
