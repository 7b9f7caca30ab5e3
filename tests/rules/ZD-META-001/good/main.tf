# zerodrift:ignore ZD-AWS-001 reason="bastion host, reviewed in SEC-123" expires=2999-12-31
resource "aws_security_group" "bastion" {
  name = "bastion"
}

resource "aws_security_group" "other" {
  name = "other" // zerodrift:ignore ZD-AWS-002 reason='all ports needed by the legacy VPN appliance'
  /* zerodrift:ignore ZD-AWS-003 reason="RDP for the jump host" */
}
