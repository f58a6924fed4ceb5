/** The header's links, from who the person is. Pure: tested as a table. */
export type NavUser = { roles: readonly string[]; isReferent: boolean; inRelay?: boolean } | null;
export type NavLink = { to: string; label: string };

export function navigationFor(user: NavUser): NavLink[] {
  const links: NavLink[] = [
    { to: "/", label: "Accueil" },
    { to: "/formations", label: "Formations" },
    { to: "/relais", label: "Relais Numériques" },
  ];
  if (!user) return links;
  links.push({ to: "/mon-espace", label: "Mon espace" });
  if (user.isReferent) links.push({ to: "/ma-structure", label: "Ma structure" });
  if (user.inRelay) links.push({ to: "/espace-relais", label: "Espace relais" });
  if (user.roles.includes("TRAINER")) links.push({ to: "/formateur", label: "Espace formateur" });
  if (user.roles.includes("ADMIN")) links.push({ to: "/admin", label: "Administration" });
  if (user.roles.includes("ADMIN")) links.push({ to: "/admin/formations", label: "Modules de formation" });
  if (user.roles.includes("ADMIN")) links.push({ to: "/admin/inscriptions", label: "Inscriptions" });
  if (user.roles.includes("ADMIN")) links.push({ to: "/admin/relais", label: "Candidatures relais" });
  if (user.roles.includes("ADMIN")) links.push({ to: "/admin/recharges", label: "Recharges" });
  if (user.roles.includes("ADMIN")) links.push({ to: "/admin/personnes", label: "Personnes" });
  return links;
}
