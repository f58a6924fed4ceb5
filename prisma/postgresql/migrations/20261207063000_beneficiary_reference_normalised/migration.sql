-- Beneficiary references are stored trimmed and in upper case, so that one person has one row
-- and one monthly ceiling (decision 017, and app/modules/recharges/beneficiary.rules.ts does the
-- same for new issues). Rows of one relay that differ only by case or surrounding spaces are
-- one person: the oldest row is kept, the issues of the others move to it, their details fill
-- it (the most recently issued row's value wins, as the issuing form does), then they go.
-- Same SQL on SQLite and PostgreSQL. Data-only: the schema does not change.

-- 1. The issues of a duplicate go to the oldest row of its group.
UPDATE "RechargeIssue" SET "beneficiaryId" = (
  SELECT k."id" FROM "Beneficiary" b
  JOIN "Beneficiary" k ON k."relayId" = b."relayId" AND UPPER(TRIM(k."reference")) = UPPER(TRIM(b."reference"))
  WHERE b."id" = "RechargeIssue"."beneficiaryId"
  ORDER BY k."createdAt", k."id"
  LIMIT 1
)
WHERE "beneficiaryId" IN (
  SELECT b."id" FROM "Beneficiary" b
  WHERE EXISTS (
    SELECT 1 FROM "Beneficiary" o
    WHERE o."relayId" = b."relayId" AND UPPER(TRIM(o."reference")) = UPPER(TRIM(b."reference"))
      AND (o."createdAt" < b."createdAt" OR (o."createdAt" = b."createdAt" AND o."id" < b."id"))
  )
);

-- 2. The kept row takes the group's latest details and last issue date.
UPDATE "Beneficiary" SET
  "ageBand" = COALESCE((
    SELECT d."ageBand" FROM "Beneficiary" d
    WHERE d."relayId" = "Beneficiary"."relayId" AND UPPER(TRIM(d."reference")) = UPPER(TRIM("Beneficiary"."reference")) AND d."ageBand" IS NOT NULL
    ORDER BY d."lastIssuedAt" DESC NULLS LAST, d."createdAt" DESC, d."id" DESC
    LIMIT 1
  ), "ageBand"),
  "commune" = COALESCE((
    SELECT d."commune" FROM "Beneficiary" d
    WHERE d."relayId" = "Beneficiary"."relayId" AND UPPER(TRIM(d."reference")) = UPPER(TRIM("Beneficiary"."reference")) AND d."commune" IS NOT NULL
    ORDER BY d."lastIssuedAt" DESC NULLS LAST, d."createdAt" DESC, d."id" DESC
    LIMIT 1
  ), "commune"),
  "lastIssuedAt" = (
    SELECT MAX(d."lastIssuedAt") FROM "Beneficiary" d
    WHERE d."relayId" = "Beneficiary"."relayId" AND UPPER(TRIM(d."reference")) = UPPER(TRIM("Beneficiary"."reference"))
  )
WHERE EXISTS (
    SELECT 1 FROM "Beneficiary" d
    WHERE d."relayId" = "Beneficiary"."relayId" AND UPPER(TRIM(d."reference")) = UPPER(TRIM("Beneficiary"."reference")) AND d."id" <> "Beneficiary"."id"
  )
  AND NOT EXISTS (
    SELECT 1 FROM "Beneficiary" o
    WHERE o."relayId" = "Beneficiary"."relayId" AND UPPER(TRIM(o."reference")) = UPPER(TRIM("Beneficiary"."reference"))
      AND (o."createdAt" < "Beneficiary"."createdAt" OR (o."createdAt" = "Beneficiary"."createdAt" AND o."id" < "Beneficiary"."id"))
  );

-- 3. The duplicates, now without issues, go.
DELETE FROM "Beneficiary" WHERE "id" IN (
  SELECT b."id" FROM "Beneficiary" b
  WHERE EXISTS (
    SELECT 1 FROM "Beneficiary" o
    WHERE o."relayId" = b."relayId" AND UPPER(TRIM(o."reference")) = UPPER(TRIM(b."reference"))
      AND (o."createdAt" < b."createdAt" OR (o."createdAt" = b."createdAt" AND o."id" < b."id"))
  )
);

-- 4. What is left is one row per person: store its reference in the compared form.
UPDATE "Beneficiary" SET "reference" = UPPER(TRIM("reference")) WHERE "reference" <> UPPER(TRIM("reference"));
