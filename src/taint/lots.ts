/**
 * A FIFO/LIFO lot list for one account: amounts from oldest to newest, alternating between clean
 * and tainted (adjacent lots of the same kind are always merged, so only the kind of the oldest lot
 * is stored). FIFO debits take from the front, LIFO debits from the back; an implied opening
 * balance is clean and the oldest, so it joins the front. Amounts are safe-integer µXEM.
 * Only accounts holding taint under fifo/lifo own a `Lots`; every other account is one clean lot.
 */
export class Lots {
  /** amt[head..] are the live lots, oldest first. */
  amt: number[];
  head = 0;
  /** Kind of amt[head]; lot i has kind headTainted XOR ((i − head) odd). */
  headTainted: boolean;

  constructor(firstAmount: number, firstTainted: boolean) {
    this.amt = firstAmount > 0 ? [firstAmount] : [];
    this.headTainted = firstTainted;
  }

  /** An independent copy (the live lots only). */
  clone(): Lots {
    const c = new Lots(0, this.headTainted);
    c.amt = this.amt.slice(this.head);
    return c;
  }

  get size(): number {
    return this.amt.length - this.head;
  }

  private tailTainted(): boolean {
    return ((this.amt.length - 1 - this.head) & 1) === 0 ? this.headTainted : !this.headTainted;
  }

  /** Append a lot (the newest), merging with the newest lot when of the same kind. */
  push(value: number, tainted: boolean): void {
    if (value <= 0) return;
    if (this.size === 0) {
      this.amt.length = 0;
      this.head = 0;
      this.amt.push(value);
      this.headTainted = tainted;
    } else if (this.tailTainted() === tainted) {
      this.amt[this.amt.length - 1] += value;
    } else {
      this.amt.push(value);
    }
  }

  /** Add clean funds as the oldest lot (an implied opening balance). */
  prependClean(value: number): void {
    if (value <= 0) return;
    if (this.size === 0) this.push(value, false);
    else if (!this.headTainted) this.amt[this.head] += value;
    else if (this.head > 0) {
      this.head -= 1;
      this.amt[this.head] = value;
      this.headTainted = false;
    } else {
      this.amt.unshift(value);
      this.headTainted = false;
    }
  }

  /** Consume `d` from the oldest lots; returns the tainted part consumed. Caller ensures d ≤ Σ lots. */
  takeFront(d: number): number {
    let need = d;
    let tainted = 0;
    const amt = this.amt;
    while (need > 0 && this.head < amt.length) {
      const lot = amt[this.head];
      if (lot <= need) {
        if (this.headTainted) tainted += lot;
        need -= lot;
        this.head += 1;
        this.headTainted = !this.headTainted;
      } else {
        if (this.headTainted) tainted += need;
        amt[this.head] = lot - need;
        need = 0;
      }
    }
    if (this.head > 64 && this.head * 2 > amt.length) {
      amt.splice(0, this.head);
      this.head = 0;
    }
    return tainted;
  }

  /** Consume `d` from the newest lots; returns the tainted part consumed. */
  takeBack(d: number): number {
    let need = d;
    let tainted = 0;
    const amt = this.amt;
    while (need > 0 && amt.length > this.head) {
      const last = amt.length - 1;
      const isTainted = ((last - this.head) & 1) === 0 ? this.headTainted : !this.headTainted;
      const lot = amt[last];
      if (lot <= need) {
        if (isTainted) tainted += lot;
        need -= lot;
        amt.pop();
      } else {
        if (isTainted) tainted += need;
        amt[last] = lot - need;
        need = 0;
      }
    }
    return tainted;
  }

  /** Lots oldest first, for tests and debugging. */
  toArray(): { amount: number; tainted: boolean }[] {
    const out: { amount: number; tainted: boolean }[] = [];
    for (let i = this.head; i < this.amt.length; i++) {
      out.push({ amount: this.amt[i], tainted: ((i - this.head) & 1) === 0 ? this.headTainted : !this.headTainted });
    }
    return out;
  }
}
