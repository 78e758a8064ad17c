// Rule « none beyond the attempt limit »: at most maxAttempts calls to a patient within attemptPeriodDays. What counts
// is every call that may have reached the patient's phone: every outcome but « interrupted », and an interrupted call
// that rang (the provider said so) or that the agent dialled themselves (manual: nobody can tell). An attempt
// interrupted before the provider placed it never rang: it does not count. One definition, read by the claim (a
// patient at the limit is not handed out, even when the limit was lowered since their last call), at the moment of
// dialling, by the outcome (the next step), and by the console's explanation.

/** An interrupted attempt `a` that counts: it rang, or the agent dialled it themselves. */
export const countedInterruptionSql = (a: string) => `(${a}."callStatus" <> 'created' OR ${a}."provider" = 'manual')`;

/** The number of counted attempts of the enrolment `enrolment` since `now` − the campaign's period (SQL expressions). */
export const recentAttemptsSql = (enrolment: string, now: string, periodDays: string) => `(SELECT count(*) FROM "CallAttempt" r
    WHERE r."enrolmentId" = ${enrolment} AND r."outcome" IS NOT NULL
      AND (r."outcome" <> 'interrupted' OR ${countedInterruptionSql("r")})
      AND r."createdAt" > ${now} - make_interval(days => ${periodDays}))::int`;

/**
 * The same, read only when it can matter: Enrolment."attempts" counts every counted attempt ever (outcomes, and
 * interruptions that count: sweepExpiredHolds, the supervisor's release), so it bounds the period's count; below the
 * limit, nothing to count. Keeps the claim and the dial from reading the patient's calls at every turn.
 */
export const recentAttemptsAtLimitSql = (enrolment: string, attempts: string, maxAttempts: string, now: string, periodDays: string) =>
  `(CASE WHEN ${attempts} >= ${maxAttempts} THEN ${recentAttemptsSql(enrolment, now, periodDays)} ELSE 0 END)`;
