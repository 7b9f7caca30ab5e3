variable "rotation" {}

resource "google_kms_crypto_key" "ninety_days" {
  name            = "data"
  key_ring        = "projects/acme-prod/locations/europe/keyRings/app"
  rotation_period = "7776000s"
}

resource "google_kms_crypto_key" "monthly" {
  name            = "tokens"
  key_ring        = "projects/acme-prod/locations/europe/keyRings/app"
  rotation_period = "2592000s"
}

# asymmetric keys cannot rotate automatically
resource "google_kms_crypto_key" "signing" {
  name     = "signing"
  key_ring = "projects/acme-prod/locations/europe/keyRings/app"
  purpose  = "ASYMMETRIC_SIGN"

  version_template {
    algorithm = "EC_SIGN_P256_SHA256"
  }
}

# imported key material
resource "google_kms_crypto_key" "imported" {
  name                          = "imported"
  key_ring                      = "projects/acme-prod/locations/europe/keyRings/app"
  import_only                   = true
  skip_initial_version_creation = true
}

# unresolvable: unknown is never reported as a failure
resource "google_kms_crypto_key" "configurable" {
  name            = "configurable"
  key_ring        = "projects/acme-prod/locations/europe/keyRings/app"
  rotation_period = var.rotation
}
