resource "tls_locally_signed_cert" "web" {
  cert_request_pem   = file("web.csr")
  ca_cert_pem        = file("ca.crt")
  ca_private_key_pem = data.google_secret_manager_secret_version.ca_key.secret_data

  validity_period_hours = 720
  allowed_uses          = ["server_auth"]
}
