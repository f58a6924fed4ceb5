import { parisDay, type Buyer, type InvoiceSnapshot, type Seller } from "./invoice.rules";

/**
 * The Factur-X XML of an invoice or credit note: UN/CEFACT Cross Industry Invoice, profile
 * EN 16931 (the one Chorus Pro and the French e-invoicing reform accept), and the XMP metadata
 * that declares it in a PDF/A-3 (Factur-X 1.07, section 6). Pure: from the stored snapshot.
 */

export const FACTUR_X_FILENAME = "factur-x.xml";
export const EN16931_GUIDELINE = "urn:cen.eu:en16931:2017";

const escapeXml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c] as string);
// XML 1.0 refuses most control characters; a name typed with one must not break the file.
const clean = (text: string) => escapeXml(text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, ""));
const amount = (cents: number) => (cents / 100).toFixed(2);
const date102 = (iso: string) => parisDay(new Date(iso)).replace(/-/g, "");
const el = (name: string, content: string, attrs = "") => `<${name}${attrs}>${content}</${name}>`;
const text = (name: string, value: string | null | undefined, attrs = "") => (value ? el(name, clean(value), attrs) : "");
const dateTime = (name: string, iso: string) => el(name, `<udt:DateTimeString format="102">${date102(iso)}</udt:DateTimeString>`);

function address(p: { postcode: string | null; street: string | null; city: string | null }): string {
  return el("ram:PostalTradeAddress", text("ram:PostcodeCode", p.postcode) + text("ram:LineOne", p.street) + text("ram:CityName", p.city) + "<ram:CountryID>FR</ram:CountryID>");
}

function sellerParty(s: Seller): string {
  return el(
    "ram:SellerTradeParty",
    text("ram:Name", s.name) +
      // 0002: SIREN (ISO 6523), the legal registration Chorus Pro expects for a French seller.
      el("ram:SpecifiedLegalOrganization", text("ram:ID", s.siret.slice(0, 9), ' schemeID="0002"') + text("ram:TradingBusinessName", s.name)) +
      address({ postcode: s.postalCode, street: s.street, city: s.city }) +
      el("ram:URIUniversalCommunication", text("ram:URIID", s.email, ' schemeID="EM"')),
  );
}

function buyerParty(b: Buyer): string {
  return el(
    "ram:BuyerTradeParty",
    text("ram:Name", b.name) +
      // 0009: SIRET. An individual has none.
      (b.siret ? el("ram:SpecifiedLegalOrganization", text("ram:ID", b.siret, ' schemeID="0009"')) : "") +
      address(b) +
      (b.email ? el("ram:URIUniversalCommunication", text("ram:URIID", b.email, ' schemeID="EM"')) : ""),
  );
}

export function facturXml(invoice: InvoiceSnapshot): string {
  const credit = invoice.kind === "CREDIT_NOTE";
  const lines = invoice.lines
    .map((line, i) =>
      el(
        "ram:IncludedSupplyChainTradeLineItem",
        el("ram:AssociatedDocumentLineDocument", `<ram:LineID>${i + 1}</ram:LineID>`) +
          el("ram:SpecifiedTradeProduct", text("ram:Name", line.label)) +
          el("ram:SpecifiedLineTradeAgreement", el("ram:NetPriceProductTradePrice", `<ram:ChargeAmount>${amount(line.unitHtCents)}</ram:ChargeAmount>`)) +
          el("ram:SpecifiedLineTradeDelivery", `<ram:BilledQuantity unitCode="C62">${line.quantity}</ram:BilledQuantity>`) +
          el(
            "ram:SpecifiedLineTradeSettlement",
            el("ram:ApplicableTradeTax", `<ram:TypeCode>VAT</ram:TypeCode><ram:CategoryCode>E</ram:CategoryCode><ram:RateApplicablePercent>${line.vatRatePercent}</ram:RateApplicablePercent>`) +
              el("ram:SpecifiedTradeSettlementLineMonetarySummation", `<ram:LineTotalAmount>${amount(line.totalHtCents)}</ram:LineTotalAmount>`),
          ),
      ),
    )
    .join("");
  const { htCents, vatCents, ttcCents } = invoice.totals;
  const prepaid = invoice.paidAt ? ttcCents : 0;
  const agreement = el(
    "ram:ApplicableHeaderTradeAgreement",
    text("ram:BuyerReference", invoice.buyer.serviceCode) +
      sellerParty(invoice.seller) +
      buyerParty(invoice.buyer) +
      (invoice.buyer.engagementNumber ? el("ram:BuyerOrderReferencedDocument", text("ram:IssuerAssignedID", invoice.buyer.engagementNumber)) : ""),
  );
  const settlement = el(
    "ram:ApplicableHeaderTradeSettlement",
    "<ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>" +
      el(
        "ram:ApplicableTradeTax",
        `<ram:CalculatedAmount>${amount(vatCents)}</ram:CalculatedAmount><ram:TypeCode>VAT</ram:TypeCode>` +
          text("ram:ExemptionReason", invoice.vatMention) +
          `<ram:BasisAmount>${amount(htCents)}</ram:BasisAmount><ram:CategoryCode>E</ram:CategoryCode><ram:RateApplicablePercent>0</ram:RateApplicablePercent>`,
      ) +
      (credit ? "" : el("ram:SpecifiedTradePaymentTerms", text("ram:Description", invoice.mentions.slice(1).join(" ")) + dateTime("ram:DueDateDateTime", invoice.dueAt))) +
      el(
        "ram:SpecifiedTradeSettlementHeaderMonetarySummation",
        `<ram:LineTotalAmount>${amount(htCents)}</ram:LineTotalAmount>` +
          `<ram:TaxBasisTotalAmount>${amount(htCents)}</ram:TaxBasisTotalAmount>` +
          `<ram:TaxTotalAmount currencyID="EUR">${amount(vatCents)}</ram:TaxTotalAmount>` +
          `<ram:GrandTotalAmount>${amount(ttcCents)}</ram:GrandTotalAmount>` +
          (prepaid ? `<ram:TotalPrepaidAmount>${amount(prepaid)}</ram:TotalPrepaidAmount>` : "") +
          `<ram:DuePayableAmount>${amount(ttcCents - prepaid)}</ram:DuePayableAmount>`,
      ) +
      (invoice.credits ? el("ram:InvoiceReferencedDocument", text("ram:IssuerAssignedID", invoice.credits.number) + dateTime("ram:FormattedIssueDateTime", invoice.credits.issuedAt).replace(/udt:DateTimeString/g, "qdt:DateTimeString")) : ""),
  );
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100" xmlns:qdt="urn:un:unece:uncefact:data:standard:QualifiedDataType:100" xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100" xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">` +
    el("rsm:ExchangedDocumentContext", el("ram:GuidelineSpecifiedDocumentContextParameter", `<ram:ID>${EN16931_GUIDELINE}</ram:ID>`)) +
    el(
      "rsm:ExchangedDocument",
      text("ram:ID", invoice.number) +
        // 380 commercial invoice, 381 credit note (UNTDID 1001).
        `<ram:TypeCode>${credit ? 381 : 380}</ram:TypeCode>` +
        dateTime("ram:IssueDateTime", invoice.issuedAt) +
        (invoice.reason ? el("ram:IncludedNote", text("ram:Content", invoice.reason)) : "") +
        el("ram:IncludedNote", text("ram:Content", invoice.mentions.join(" ")) + "<ram:SubjectCode>AAB</ram:SubjectCode>"),
    ) +
    el(
      "rsm:SupplyChainTradeTransaction",
      lines + agreement + el("ram:ApplicableHeaderTradeDelivery", el("ram:ActualDeliverySupplyChainEvent", dateTime("ram:OccurrenceDateTime", invoice.issuedAt))) + settlement,
    ) +
    `</rsm:CrossIndustryInvoice>\n`
  );
}

/** XMP metadata of a PDF/A-3B carrying a Factur-X EN 16931 file, with the extension schema that declares the fx: properties. */
export function facturXmp(input: { title: string; author: string; createdAt: Date }): string {
  const when = input.createdAt.toISOString().replace(/\.\d{3}Z$/, "Z");
  const property = (name: string, description: string) =>
    `<rdf:li rdf:parseType="Resource"><pdfaProperty:name>${name}</pdfaProperty:name><pdfaProperty:valueType>Text</pdfaProperty:valueType><pdfaProperty:category>external</pdfaProperty:category><pdfaProperty:description>${description}</pdfaProperty:description></rdf:li>`;
  return `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"><pdfaid:part>3</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance></rdf:Description>
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:format>application/pdf</dc:format><dc:title><rdf:Alt><rdf:li xml:lang="x-default">${clean(input.title)}</rdf:li></rdf:Alt></dc:title><dc:creator><rdf:Seq><rdf:li>${clean(input.author)}</rdf:li></rdf:Seq></dc:creator></rdf:Description>
<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/"><pdf:Producer>Maillon (pdf-lib)</pdf:Producer></rdf:Description>
<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/"><xmp:CreatorTool>Maillon</xmp:CreatorTool><xmp:CreateDate>${when}</xmp:CreateDate><xmp:ModifyDate>${when}</xmp:ModifyDate><xmp:MetadataDate>${when}</xmp:MetadataDate></rdf:Description>
<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>Factur-X PDFA Extension Schema</pdfaSchema:schema>
<pdfaSchema:namespaceURI>urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>fx</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq>${property("DocumentFileName", "The name of the embedded XML document")}${property("DocumentType", "The type of the hybrid document in capital letters, e.g. INVOICE or ORDER")}${property("Version", "The actual version of the standard applying to the embedded XML document")}${property("ConformanceLevel", "The conformance level of the embedded XML document")}</rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:fx="urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#"><fx:DocumentType>INVOICE</fx:DocumentType><fx:DocumentFileName>${FACTUR_X_FILENAME}</fx:DocumentFileName><fx:Version>1.0</fx:Version><fx:ConformanceLevel>EN 16931</fx:ConformanceLevel></rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>`;
}
