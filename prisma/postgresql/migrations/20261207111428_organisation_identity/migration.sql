-- AlterTable
ALTER TABLE "Certificate" ADD COLUMN     "organisationIdentityId" TEXT;

-- CreateTable
CREATE TABLE "OrganisationIdentity" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "legalForm" TEXT NOT NULL,
    "street" TEXT NOT NULL,
    "postalCode" TEXT NOT NULL,
    "city" TEXT NOT NULL,
    "siret" TEXT NOT NULL,
    "nda" TEXT NOT NULL,
    "ndaRegion" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "phone" TEXT NOT NULL,
    "signatoryName" TEXT NOT NULL,
    "signatoryTitle" TEXT NOT NULL,
    "documentMentions" TEXT NOT NULL,
    "logo" BYTEA,
    "logoType" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdById" TEXT,

    CONSTRAINT "OrganisationIdentity_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "OrganisationIdentity_createdAt_idx" ON "OrganisationIdentity"("createdAt");

-- AddForeignKey
ALTER TABLE "Certificate" ADD CONSTRAINT "Certificate_organisationIdentityId_fkey" FOREIGN KEY ("organisationIdentityId") REFERENCES "OrganisationIdentity"("id") ON DELETE SET NULL ON UPDATE CASCADE;
