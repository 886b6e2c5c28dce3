/** Launch template (IMDS), EBS volume and KMS key checks, following checkov's semantics. */
import { block, isExpression, isSet, literalBool, literalNumber, literalString, show } from "../tf";
import { fail, pass, skip, type Check } from "../types";

const CHECKOV_AWS = "https://github.com/bridgecrewio/checkov/blob/main/checkov/terraform/checks/resource/aws";

/** IMDS turned off entirely: neither IMDSv1 nor the hop limit matter (checkov passes CKV_AWS_79 on it). */
const imdsDisabled = (mo: Record<string, unknown>) => literalString(mo.http_endpoint) === "disabled";

export const imdsv2Required: Check = {
  id: "CKV_AWS_79",
  resourceTypes: ["aws_launch_template", "aws_launch_configuration", "aws_instance"],
  title: 'Instance metadata requires IMDSv2 (metadata_options.http_tokens = "required")',
  why: "https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html",
  source: `${CHECKOV_AWS}/IMDSv1Disabled.py`,
  run(body) {
    const mo = block(body.metadata_options);
    // EC2's default for http_tokens is "optional" (IMDSv1 allowed).
    if (!mo) return fail('metadata_options is unset (http_tokens defaults to "optional": IMDSv1 allowed)');
    if (imdsDisabled(mo)) return pass();
    return literalString(mo.http_tokens) === "required"
      ? pass()
      : fail(`metadata_options.http_tokens is ${show(mo.http_tokens)}, not "required": IMDSv1 allowed`);
  },
};

export const imdsHopLimit: Check = {
  id: "CKV_AWS_341",
  resourceTypes: ["aws_launch_template", "aws_launch_configuration"],
  // checkov tests == 1 and PASSES when the value is unset. We fail unset instead: the default then
  // comes from the AMI, and AL2023 (the EKS node AMI) defaults to 2, which lets pods reach the node
  // role's credentials. https://docs.aws.amazon.com/linux/al2023/ug/imdsv2.html
  title: "Instance metadata hop limit is 1 (metadata_options.http_put_response_hop_limit = 1, set explicitly)",
  why: "https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html",
  source: `${CHECKOV_AWS}/LaunchTemplateMetadataHop.py`,
  run(body) {
    const mo = block(body.metadata_options);
    if (mo && imdsDisabled(mo)) return pass();
    const v = mo?.http_put_response_hop_limit;
    if (v === undefined) return fail("metadata_options.http_put_response_hop_limit is unset (AL2023 AMIs default to 2)");
    const n = literalNumber(v);
    if (n === undefined) return fail(`metadata_options.http_put_response_hop_limit ${show(v)} is not a literal number`);
    return n === 1 ? pass() : fail(`metadata_options.http_put_response_hop_limit is ${n}: pods can reach the node's IMDS credentials`);
  },
};

export const ebsEncrypted: Check = {
  id: "CKV_AWS_3",
  resourceTypes: ["aws_ebs_volume"],
  title: "EBS volume is encrypted (encrypted = true)",
  why: "https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html",
  source: `${CHECKOV_AWS}/EBSEncryption.py`,
  run(body) {
    const v = body.encrypted;
    if (literalBool(v) === true) return pass();
    return fail(isExpression(v) ? `encrypted ${show(v)} is an expression; cannot verify it` : `encrypted is ${show(v)}`);
  },
};

export const ebsCmk: Check = {
  id: "CKV_AWS_189",
  resourceTypes: ["aws_ebs_volume"],
  title: "EBS volume is encrypted with a customer managed KMS key (kms_key_id set)",
  why: "https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html",
  source: `${CHECKOV_AWS}/EBSVolumeEncryptedWithCMK.py`,
  run(body) {
    return isSet(body.kms_key_id) ? pass() : fail("kms_key_id is unset: the AWS managed aws/ebs key is used");
  },
};

export const kmsRotation: Check = {
  id: "CKV_AWS_7",
  resourceTypes: ["aws_kms_key"],
  title: "KMS key rotation is enabled (enable_key_rotation = true)",
  why: "https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html",
  source: `${CHECKOV_AWS}/KMSRotation.py`,
  run(body) {
    // Automatic rotation exists only for symmetric encryption keys; checkov skips other key specs
    // (it still checks HMAC keys, which AWS cannot rotate: we skip those too).
    const spec = literalString(body.customer_master_key_spec);
    if (spec !== undefined && spec !== "SYMMETRIC_DEFAULT") return skip(`key spec ${spec} cannot rotate`);
    const v = body.enable_key_rotation;
    return literalBool(v) === true ? pass() : fail(`enable_key_rotation is ${show(v)}`);
  },
};

export const EC2_CHECKS: readonly Check[] = [imdsv2Required, imdsHopLimit, ebsEncrypted, ebsCmk, kmsRotation];
