resource "google_sql_database_instance" "allow_plain" {
  name             = "pg-plain"
  database_version = "POSTGRES_16"
  region           = "europe-west1"

  settings {
    tier = "db-custom-2-7680"

    ip_configuration {
      ssl_mode = "ALLOW_UNENCRYPTED_AND_ENCRYPTED"
    }
  }
}

# google provider v5 legacy flag
resource "google_sql_database_instance" "legacy_flag" {
  name             = "mysql-legacy"
  database_version = "MYSQL_8_0"
  region           = "europe-west1"

  settings {
    tier = "db-n1-standard-1"

    ip_configuration {
      ipv4_enabled = true
      require_ssl  = false
    }
  }
}

# nothing set: Cloud SQL allows unencrypted connections by default
resource "google_sql_database_instance" "defaults" {
  name             = "pg-defaults"
  database_version = "POSTGRES_16"
  region           = "europe-west1"

  settings {
    tier = "db-custom-2-7680"
  }
}
