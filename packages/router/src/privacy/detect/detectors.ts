import type { DetectorClass } from '@bascule/spec';
import { emailDetector } from './email.js';
import type { Detector } from './finding.js';
import { ibanDetector } from './iban.js';
import { ipAddressDetector } from './ip-address.js';
import { nationalIdDetector } from './national-id.js';
import { paymentCardDetector } from './payment-card.js';
import { phoneDetector } from './phone.js';
import { secretDetector } from './secret.js';

/** The built-in detector of each class. */
export const DETECTORS: Readonly<Record<DetectorClass, Detector>> = {
  'payment-card': paymentCardDetector,
  iban: ibanDetector,
  'national-id': nationalIdDetector,
  email: emailDetector,
  phone: phoneDetector,
  'ip-address': ipAddressDetector,
  secret: secretDetector,
};
