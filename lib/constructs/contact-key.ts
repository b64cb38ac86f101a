import { RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { contactKey } from '../spec/keys';

export interface ContactKeyProps {
  /** RETAIN with the tables: destroying the key would make every stored contact unreadable. */
  deletionProtection: boolean;
}

/**
 * The customer-managed key that encrypts complainants' contact fields (lib/spec/keys.ts). Apart from the
 * complaints table's own key: that one protects the table at rest for every function with table access;
 * this one is usable only by the functions whose spec names `contactCipher` (PlatformFunction.usesContactKey).
 */
export class ContactKey extends kms.Key {
  constructor(scope: Construct, id: string, props: ContactKeyProps) {
    super(scope, id, {
      description: contactKey.description,
      enableKeyRotation: true,
      removalPolicy: props.deletionProtection ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
  }
}
