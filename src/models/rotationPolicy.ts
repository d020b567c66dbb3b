import type { KeyRotationPolicyAction } from "./known.js";

/** One action of a rotation policy, and when it happens. */
export interface KeyRotationLifetimeAction {
  /** ISO 8601 duration after creation, such as `P90D`. */
  timeAfterCreate?: string;
  /** ISO 8601 duration before expiry, such as `P30D`. */
  timeBeforeExpiry?: string;
  /** What happens. */
  action: KeyRotationPolicyAction;
}

/** The settable parts of a rotation policy. */
export interface KeyRotationPolicyProperties {
  /** ISO 8601 duration after which new versions expire, such as `P90D`. */
  expiresIn?: string;
  /** The actions of the policy. */
  lifetimeActions?: KeyRotationLifetimeAction[];
}

/** A key's rotation policy. */
export interface KeyRotationPolicy extends KeyRotationPolicyProperties {
  /** The policy's identifier. */
  readonly id?: string;
  /** When the policy was created. */
  readonly createdOn?: Date;
  /** When the policy was last updated. */
  readonly updatedOn?: Date;
}
