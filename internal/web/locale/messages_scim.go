package locale

// The SCIM page's messages: an organisation's provisioning from its
// identity system (Entra ID, Okta): tokens, units and group mappings.
func init() { join(scimMessages) }

var scimMessages = map[string][2]string{
	"nav.scim": {"SCIM-provisionering", "SCIM provisioning"},

	"scim.title": {"SCIM-provisionering", "SCIM provisioning"},
	"scim.intro": {"Organisationens identitetssystem (till exempel Microsoft Entra ID eller Okta) kan hålla personalen i Distans med SCIM 2.0: nyanställda finns från första dagen, och den som slutar eller inaktiveras förlorar åtkomsten samma dag. Varje ändring loggas som gjord av identitetssystemet.",
		"The organisation's identity system (for example Microsoft Entra ID or Okta) can keep its staff in Distans with SCIM 2.0: new employees exist from their first day, and whoever leaves or is deactivated loses access the same day. Every change is logged as made by the identity system."},
	"scim.endpoint":        {"Adress att ange i identitetssystemet:", "The address to give the identity system:"},
	"scim.tokens":          {"Nycklar", "Tokens"},
	"scim.no_tokens":       {"Inga nycklar ännu.", "No tokens yet."},
	"scim.token_name_hint": {"Vad nyckeln används till, till exempel Entra ID.", "What the token is for, for example Entra ID."},
	"scim.token_create":    {"Skapa nyckel", "Create token"},
	"scim.token_created":   {"Nyckeln %s är skapad. Ange den som hemlig token i identitetssystemet:", "The token %s was created. Give it to the identity system as its secret token:"},
	"scim.token_once":      {"Nyckeln visas bara nu. Den som har den kan skapa, ändra och inaktivera personer i organisationen.", "The token is shown only now. Whoever holds it can create, change and deactivate people in the organisation."},
	"scim.token_revoked":   {"Nyckeln är återkallad.", "The token was revoked."},
	"scim.units":           {"Avdelningar som saknas", "Departments that are missing"},
	"scim.create_units":    {"Skapa en ny enhet för en avdelning som inte finns", "Create a new unit for a department that does not exist"},
	"scim.create_units_hint": {"En användares avdelning (department) matchas mot enheternas kod och sedan namn. Utan den här inställningen avvisas en avdelning som inte finns; med den blir den en ny enhet under organisationens översta enhet.",
		"A user's department is matched against the units' codes and then names. Without this setting a department that does not exist is refused; with it, it becomes a new unit under the organisation's top unit."},
	"scim.settings_save":  {"Spara inställningen", "Save the setting"},
	"scim.settings_saved": {"Inställningen är sparad.", "The setting was saved."},
	"scim.mappings":       {"Grupper, roller och enheter", "Groups, roles and units"},
	"scim.mappings_intro": {"Medlemmar i en grupp som nämns här får antingen rollen i enheten och under den, eller sin anställning placerad i enheten (före department; av flera grupper vinner den djupaste enheten). När någon lämnar gruppen, eller inaktiveras, upphör rollen, och placeringen går tillbaka till department. Grupper som inte nämns ger ingenting.",
		"Members of a group named here either get the role in the unit and below it, or have their employment placed in the unit (before department; of several groups the deepest unit wins). When someone leaves the group, or is deactivated, the role ends, and placement goes back to department. Groups that are not named grant nothing."},
	"scim.no_mappings":     {"Inga grupper är kopplade ännu.", "No groups are mapped yet."},
	"scim.group":           {"Gruppens namn", "The group's name"},
	"scim.group_hint":      {"Gruppens visningsnamn (displayName) i identitetssystemet, exakt.", "The group's displayName in the identity system, exactly."},
	"scim.mapping_new":     {"Koppla en grupp", "Map a group"},
	"scim.mapping_save":    {"Spara kopplingen", "Save the mapping"},
	"scim.mapping_saved":   {"Kopplingen är sparad och medlemmarnas roller och placeringar är uppdaterade.", "The mapping was saved and the members' roles and placements updated."},
	"scim.mapping_delete":  {"Ta bort", "Remove"},
	"scim.kind":            {"Vad gruppen ger", "What the group gives"},
	"scim.kind_role":       {"Roll i en enhet", "A role in a unit"},
	"scim.kind_unit":       {"Placering i en enhet", "Placement in a unit"},
	"scim.role_hint":       {"Bara för en roll i en enhet.", "Only for a role in a unit."},
	"scim.scope_hint":      {"En roll gäller i enheten och allt under den. En placering anställer medlemmarna i enheten, före deras department; välj då en enhet.", "A role applies in the unit and everything below it. A placement employs the members in the unit, before their department; choose a unit then."},
	"scim.mapping_deleted": {"Kopplingen är borttagen: rollerna den gav har upphört och medlemmarna den placerade följer sin department.", "The mapping was removed: the roles it granted have ended and the members it placed follow their department."},
}
