/**
 * The demo's règlement intérieur (Code du travail L6352-3, R6352-1 to R6352-15), version 1
 * as staff would publish it at /admin/reglement-interieur. Plain text with the page's marks:
 * "# " title, "## " subtitle, "- " list item.
 */
export const DEMO_INTERNAL_RULES = `# Règlement intérieur applicable aux stagiaires

Établi conformément aux articles L6352-3 à L6352-5 et R6352-1 à R6352-15 du Code du travail.

## Article 1 — Objet et champ d'application

Le présent règlement s'applique à toute personne inscrite à une action de formation organisée par l'association (ci-après « le stagiaire »), pour toute la durée de la formation, qu'elle ait lieu dans nos locaux, dans les locaux d'une structure partenaire ou à distance. Il définit les règles d'hygiène et de sécurité, les règles de discipline et les sanctions applicables, ainsi que les garanties de procédure dont bénéficie le stagiaire.

Lorsque la formation a lieu dans un établissement doté de son propre règlement intérieur, les mesures d'hygiène et de sécurité applicables aux stagiaires sont celles de ce dernier règlement.

## Article 2 — Hygiène et sécurité

Chaque stagiaire veille à sa sécurité et à celle des autres en respectant les consignes générales et particulières d'hygiène et de sécurité en vigueur sur le lieu de formation.

- Il est interdit de fumer ou de vapoter dans les locaux de formation.
- Il est interdit d'entrer ou de demeurer sur le lieu de formation en état d'ivresse ou sous l'emprise de stupéfiants, et d'y introduire des boissons alcoolisées.
- Les consignes d'incendie et d'évacuation, ainsi que le plan des locaux, sont affichés : chaque stagiaire en prend connaissance et les suit en cas d'alerte, sur les indications de la formatrice ou du formateur.
- Tout accident ou incident survenu pendant la formation, ou pendant le trajet, est signalé sans délai à la formatrice ou au formateur et à l'association.
- Le matériel mis à disposition (ordinateurs, téléphones, tablettes) est utilisé conformément à son objet et aux consignes données ; toute anomalie est signalée.

## Article 3 — Discipline

- Les stagiaires respectent les horaires indiqués dans la convocation. En cas d'absence ou de retard, ils préviennent l'association au plus tôt et le justifient.
- Chaque stagiaire signe la feuille d'émargement de chaque demi-journée ; signer pour une autre personne est interdit.
- Les stagiaires ont un comportement respectueux envers toute personne présente. Tout propos ou comportement discriminatoire, harcelant ou violent est interdit.
- Sauf accord de la formatrice ou du formateur, les téléphones sont en mode silencieux et les séances ne sont ni enregistrées ni filmées.
- Les documents pédagogiques remis sont réservés à l'usage personnel du stagiaire et à sa pratique professionnelle.
- Lors d'une formation à distance, le stagiaire se connecte avec son nom et suit la séance dans des conditions qui lui permettent d'y participer.

## Article 4 — Sanctions

Constitue une sanction toute mesure, autre que les observations verbales, prise par la direction de l'association à la suite d'un agissement du stagiaire considéré par elle comme fautif, que cette mesure soit de nature à affecter immédiatement ou non la présence du stagiaire dans la formation ou à mettre en cause la continuité de la formation qu'il reçoit (article R6352-3).

Selon la gravité des faits, la sanction peut être :

- un avertissement écrit ;
- un blâme ;
- une exclusion temporaire de la formation ;
- une exclusion définitive de la formation.

Les amendes et autres sanctions pécuniaires sont interdites. L'employeur du stagiaire et, le cas échéant, l'organisme qui finance la formation sont informés de la sanction prise (article R6352-8).

## Article 5 — Droits de la défense (garanties disciplinaires)

Aucune sanction ne peut être prise sans que le stagiaire ait été informé au préalable des griefs retenus contre lui (article R6352-4).

Lorsqu'une sanction ayant une incidence, immédiate ou non, sur la présence du stagiaire dans la formation est envisagée :

- la direction convoque le stagiaire par lettre recommandée ou remise contre décharge, en indiquant l'objet, la date, l'heure et le lieu de l'entretien ;
- au cours de l'entretien, le stagiaire peut se faire assister par une personne de son choix, notamment un autre stagiaire ou un salarié de l'association ; la convocation le mentionne ;
- la direction indique le motif de la sanction envisagée et recueille les explications du stagiaire (article R6352-5) ;
- la sanction ne peut intervenir moins d'un jour franc ni plus de quinze jours après l'entretien ; elle fait l'objet d'une décision écrite et motivée, remise au stagiaire par lettre recommandée ou contre décharge (article R6352-6).

Lorsque l'agissement a rendu indispensable une mesure conservatoire d'exclusion temporaire à effet immédiat, aucune sanction définitive ne peut être prise sans que cette procédure ait été suivie (article R6352-7).

## Article 6 — Représentation des stagiaires

Pour les actions de formation d'une durée totale supérieure à 500 heures, un délégué titulaire et un délégué suppléant sont élus au scrutin uninominal à deux tours, pendant les heures de formation, au plus tôt vingt heures et au plus tard quarante heures après le début de la formation (articles R6352-9 à R6352-12). Leur mandat prend fin avec la formation ; ils font toute suggestion pour améliorer le déroulement des formations et présentent les réclamations des stagiaires (articles R6352-13 à R6352-15).

Les formations de l'association durent de quelques heures à quelques jours : ces dispositions ne s'y appliquent pas. Les stagiaires peuvent à tout moment faire part de leurs remarques à la formatrice ou au formateur, par le questionnaire de fin de formation ou depuis la page Contact.

## Article 7 — Publicité

Le présent règlement est remis à chaque stagiaire avec sa convocation et reste consultable dans son espace personnel. Il est affiché dans les locaux de formation de l'association.
`;
