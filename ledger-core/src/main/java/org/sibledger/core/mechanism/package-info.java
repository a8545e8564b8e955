/**
 * The five payment mechanisms of DOMAIN.md and the rules every one of them shares, as pure functions of the terms,
 * the pricing facts and what is approved.
 *
 * <h2>What is due</h2>
 * Nothing approved is ever lost: after any change to the set of approved results (an approval, a dispute upheld or
 * overturned, maturity, an amendment, funding that prices a share of savings) what is due = the entitlement of all
 * approved results now ({@link org.sibledger.core.mechanism.PaymentMechanisms#entitlement}), through the caps, minus
 * what is booked and live. {@link org.sibledger.core.mechanism.PayoutBook} makes the difference into lines: a positive
 * one is triggered at once; a negative one cancels unsettled lines and, where lines were settled already, is a credit
 * (a line with a negative payable) set off against that payer's next settlements on the bond, in part where a payout
 * is smaller than the credit, and repaid from the bond's cash if the bond matures with it still open. What was booked
 * is never re-priced from a recomputed past: the comparison is always with the lines as booked.
 *
 * <h2>Which terms price an outcome</h2>
 * The version of the terms in force on the outcome's date ({@link org.sibledger.core.mechanism.TermsHistory}): a
 * claim's {@code achievedOn}, a result's {@code periodEnd}, else the day the result was submitted; whenever it is
 * approved. An amendment never re-prices outcomes dated before it takes effect. Only outcomes inside the contract's
 * outcome window count (service start to {@code outcomesEnd}, which defaults to the service end), never in the future.
 *
 * <h2>Caps, in order</h2>
 * <ol>
 *   <li><b>Per participant</b> (rate card): on the outcome value of all that participant's claims, before any payer's
 *       share, first come first served in approval order;</li>
 *   <li><b>per metric</b> (rate card's metric cap; the threshold, savings and weighted-targets mechanisms' own caps):
 *       on outcome value, before any payer's share; what a later cap withholds is given back to the earlier ones;</li>
 *   <li><b>per payer commitment</b>: limits only that payer's share of the booked total;</li>
 *   <li><b>contract total</b>: limits all payers together.</li>
 * </ol>
 * Caps count outcomes of every terms version and bind at the current terms' values. A claim that would cross a cap is
 * paid in part, up to the cap, and the rest is recorded as {@code capped} on the line, whose rule names the cap that
 * withheld it; nothing is silently dropped. Money is exact; it is rounded half-even to the currency's minor unit only
 * when booked ({@link org.sibledger.core.mechanism.CapChain}).
 */
package org.sibledger.core.mechanism;
