"""Word lists the generator draws names from (French public-sector flavour, as Mue's users)."""

from __future__ import annotations

UNIT_NAMES = (
    "Direction générale des services", "Finances", "Ressources humaines", "Enfance", "Scolaire", "Petite enfance",
    "Jeunesse", "Sports", "Culture", "Médiathèque", "Urbanisme", "Voirie", "Espaces verts", "Police municipale",
    "État civil", "Élections", "Action sociale", "CCAS", "Communication", "Systèmes d'information", "Achats",
    "Affaires juridiques", "Patrimoine", "Eau et assainissement", "Déchets", "Tourisme", "Économie", "Logement",
    "Santé", "Archives", "Cimetières", "Marchés publics", "Transports", "Environnement", "Restauration",
)
UNIT_LEVELS = ("Direction", "Service", "Pôle", "Mission", "Cellule")

FIRST_NAMES = (
    "Marie", "Jean", "Sophie", "Pierre", "Nathalie", "Luc", "Isabelle", "Michel", "Claire", "Philippe", "Anne",
    "Julien", "Camille", "Nicolas", "Céline", "Thomas", "Aurélie", "David", "Élodie", "Laurent", "Sandrine",
    "Olivier", "Émilie", "François", "Manon", "Hugo", "Léa", "Karim", "Fatima", "Yann", "Nadia", "Rémi",
)
LAST_NAMES = (
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau", "Simon",
    "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier", "Morel",
    "Girard", "André", "Lefebvre", "Mercier", "Dupont", "Lambert", "Bonnet", "François", "Martinez", "Haddad",
)
ROLES = (
    "Directeur", "Directrice adjointe", "Chef de service", "Gestionnaire", "Agent", "Chargé de mission",
    "Référent numérique", "Technicien", "Administrateur systèmes", "Assistante", "Responsable", "DPO", "RSSI",
)

COMPANY_STEMS = (
    "Berger", "Logi", "Cité", "Nova", "Data", "Civi", "Atlas", "Arpège", "Horizon", "Ciril", "Orion", "Axio",
    "Sigma", "Quadra", "Micro", "Cloud", "Inforum", "Agora", "Opale", "Vega", "Kairos", "Netia", "Alto", "Polaris",
)
COMPANY_SUFFIXES = ("soft", "sys", "tech", "data", "net", "info", "lab", "ware", "group", "services")
COMPANY_FORMS = ("SAS", "SA", "SARL", "Inc.", "GmbH", "Ltd")

APP_PREFIXES = (
    "Portail", "Gestion", "Logiciel", "Suite", "Plateforme", "Outil", "Application", "Module", "Service",
    "Espace", "Registre", "Tableau de bord", "Connecteur", "Base",
)
APP_SUBJECTS = (
    "famille", "cantine", "finances", "paie", "RH", "état civil", "élections", "urbanisme", "SIG", "courrier",
    "délibérations", "médiathèque", "cimetière", "marchés", "stock", "flotte", "bâtiments", "citoyen",
    "messagerie", "agenda", "visio", "GED", "parapheur", "badges", "vidéoprotection", "tickets", "sauvegarde",
    "antivirus", "annuaire", "intranet", "site web", "newsletter", "sondages", "formulaires", "inscriptions",
    "facturation", "recettes", "subventions", "associations", "salles", "réservations", "sport", "piscine",
    "crèche", "périscolaire", "transport scolaire", "eau", "déchets", "voirie", "éclairage", "parc auto",
)
SERVICE_SUBJECTS = (
    "Restauration scolaire", "Inscriptions périscolaires", "Paie des agents", "Comptabilité", "Budget",
    "Délivrance d'actes d'état civil", "Organisation des élections", "Instruction des permis",
    "Gestion du courrier", "Accueil des usagers", "Prêt de documents", "Concessions funéraires",
    "Passation des marchés", "Gestion du patrimoine", "Messagerie des agents", "Poste de travail",
    "Téléphonie", "Site internet", "Vidéoprotection", "Gestion des salles", "Aides sociales",
    "Collecte des déchets", "Distribution de l'eau", "Éclairage public", "Transport scolaire",
)
PROCESS_VERBS = ("Traiter", "Instruire", "Valider", "Archiver", "Publier", "Contrôler", "Facturer", "Planifier")

DATA_SUBJECTS = ("agents", "usagers", "familles", "enfants", "élus", "fournisseurs", "électeurs", "administrés")
DATA_THEMES = (
    "identité", "coordonnées", "situation familiale", "revenus", "paie", "santé", "scolarité", "dossiers sociaux",
    "infractions", "listes électorales", "factures", "contrats", "plans", "journaux techniques", "photos",
    "comptes utilisateurs", "courriers", "délibérations", "statistiques", "géolocalisation", "badges",
)

CITIES = (
    "Valmont", "Saint-Aubin", "Montrouge-sur-Loire", "Beaulieu", "Villeneuve", "Rochefort", "Champagne",
    "Fontaine", "Bellevue", "Clairvaux", "Mirebeau", "Pontarlier", "Sainte-Marie", "Lavaur",
)
OPERATING_SYSTEMS = (
    "Debian 12", "Debian 10", "Ubuntu 22.04", "Ubuntu 18.04", "Windows Server 2022", "Windows Server 2012 R2",
    "Windows 11", "Windows 10", "Windows 7", "macOS 14", "RHEL 9", "CentOS 7", "Android 14", "iOS 17", "",
)
LICENCES = ("CC-BY-4.0", "CC-BY-SA-4.0", "CC0-1.0", "Licence Ouverte 2.0", "ODbL-1.0", "Tous droits réservés")
