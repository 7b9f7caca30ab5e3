resource "aws_lb_listener" "web" {
  load_balancer_arn = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/web/50dc6c495c0c9188"
  port              = 80
  protocol          = "HTTP"

  default_action {
    type             = "forward"
    target_group_arn = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/web/73e2d6bc24d8a067"
  }
}

# a redirect that keeps the request's protocol is still plain HTTP
resource "aws_alb_listener" "legacy" {
  load_balancer_arn = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/legacy/50dc6c495c0c9188"
  port              = 8080
  protocol          = "HTTP"

  default_action {
    type = "redirect"

    redirect {
      host        = "www.example.com"
      status_code = "HTTP_301"
    }
  }
}
