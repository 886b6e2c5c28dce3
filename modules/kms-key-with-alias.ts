import { Construct } from "constructs";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";

export interface KmsKeyWithAliasProps {
  /** @see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html (must start with `alias/`) */
  readonly alias: string;
  readonly description: string;
  /** `prevent_destroy` on the key: a destroyed key makes everything it encrypted unreadable. @default false */
  readonly protect?: boolean;
  /** Key policy document; the default key policy (delegate to IAM in the account) when absent. */
  readonly policy?: string;
}

/**
 * A customer managed key with yearly rotation (CKV_AWS_7) and the longest deletion window.
 * The default key policy delegates to IAM in the key's account.
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
 */
export class KmsKeyWithAlias extends Construct {
  readonly key: KmsKey;

  constructor(scope: Construct, id: string, props: KmsKeyWithAliasProps) {
    super(scope, id);
    this.key = new KmsKey(this, "key", {
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: props.policy,
      lifecycle: props.protect ? { preventDestroy: true } : undefined,
    });
    new KmsAlias(this, "alias", { name: props.alias, targetKeyId: this.key.keyId });
  }
}
