resource "tls_locally_signed_cert" "web" {
  cert_request_pem   = file("web.csr")
  ca_cert_pem        = file("ca.crt")
  ca_private_key_pem = <<-EOT
    -----BEGIN RSA PRIVATE KEY-----
    HuqlZNVBFGKpPjIEW11V4QikYPepPL14qp3Wwoq2JqlLoysRiiwOXEeSTCpxCPRe
    -----END RSA PRIVATE KEY-----
  EOT

  validity_period_hours = 720
  allowed_uses          = ["server_auth"]
}
