/** Load balancer target group checks, following checkov's semantics. */
import { block, isSet, literalBool, literalString, show } from "../tf";
import { fail, pass, skip, type Check } from "../types";

export const targetGroupHealthCheck: Check = {
  id: "CKV_AWS_261",
  resourceTypes: ["aws_lb_target_group", "aws_alb_target_group"],
  title: "HTTP/HTTPS target group defines an enabled health check with a path",
  why: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html",
  source:
    "https://github.com/bridgecrewio/checkov/blob/main/checkov/terraform/checks/resource/aws/LBTargetGroupsDefinesHealthcheck.py",
  run(body) {
    // checkov: only HTTP/HTTPS target groups (others are UNKNOWN); passes when health_check.path is set.
    const protocol = literalString(body.protocol);
    if (protocol !== "HTTP" && protocol !== "HTTPS") return skip(`protocol ${show(body.protocol)} is not HTTP/HTTPS`);
    const hc = block(body.health_check);
    if (!hc) return fail("health_check is unset: the probe is left to implicit defaults");
    // Beyond checkov: a disabled health check with a path would pass checkov but checks nothing.
    if (literalBool(hc.enabled) === false) return fail("health_check.enabled is false");
    return isSet(hc.path) ? pass() : fail("health_check.path is unset");
  },
};

export const ELB_CHECKS: readonly Check[] = [targetGroupHealthCheck];
