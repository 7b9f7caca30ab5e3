# no rotation_period: never rotates
resource "google_kms_crypto_key" "data" {
  name     = "data"
  key_ring = "projects/acme-prod/locations/europe/keyRings/app"
}

resource "google_kms_crypto_key" "yearly" {
  name            = "backups"
  key_ring        = "projects/acme-prod/locations/europe/keyRings/app"
  purpose         = "ENCRYPT_DECRYPT"
  rotation_period = "31536000s"
}

variable "rotation" {
  default = "7776001s"
}

resource "google_kms_crypto_key" "just_over" {
  name            = "logs"
  key_ring        = "projects/acme-prod/locations/europe/keyRings/app"
  rotation_period = var.rotation

  version_template {
    algorithm        = "GOOGLE_SYMMETRIC_ENCRYPTION"
    protection_level = "HSM"
  }
}
