import type { Alerting } from './alerting.js';

/**
 * One Alerting per tenant: each tenant's rules, silences, alerts and leader
 * lease live in its own database, so each gets its own evaluator. Tenants
 * created on another replica are picked up when first asked for.
 */
export class TenantAlerting {
  private readonly byTenant = new Map<string, Alerting>();
  private evaluating = false;

  constructor(private readonly create: (tenant: string) => Alerting) {}

  /** The tenant's alerting, created (and evaluating, once started) on first use. */
  of(tenant: string): Alerting {
    let alerting = this.byTenant.get(tenant);
    if (!alerting) {
      alerting = this.create(tenant);
      this.byTenant.set(tenant, alerting);
      if (this.evaluating) alerting.evaluator.start();
    }
    return alerting;
  }

  /** Starts every evaluator, now and for tenants added later; called once the collector listens. */
  startEvaluating(): void {
    this.evaluating = true;
    for (const alerting of this.byTenant.values()) alerting.evaluator.start();
  }

  async stop(): Promise<void> {
    await Promise.all([...this.byTenant.values()].map((a) => a.stop()));
  }
}
