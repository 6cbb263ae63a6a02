/** One webhook to deliver: the body is signed at send time with the tenant's secret. */
export interface WebhookDelivery {
  /** Unique per event (receivers deduplicate on it). */
  id: string;
  url: string;
  tenant: string;
  /** JSON body. */
  body: string;
}
