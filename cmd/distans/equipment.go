package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/config"
	"github.com/distans/distans/internal/equipment"
	"github.com/distans/distans/internal/importrun"
	"github.com/distans/distans/internal/policy"
)

const equipmentImportUsage = `användning / usage: distans equipment import -org SLUG [-dry-run] FIL

Läser in utrustning (datorer, telefoner, SIM-kort …) till organisationens
utrustningsregister från en CSV-fil: Typ, Modell, Serienummer (IMEI),
Inventarienummer, Nummer, Enhet, Inköpsdatum, Anteckning. Filen kontrolleras
först och varje fel skrivs ut med rad och kolumn; med -dry-run sparas
ingenting. Annars sparas alla rader, eller ingen.
Imports equipment (computers, phones, SIM cards …) into the organisation's
registry from a CSV file. The file is checked first and every error printed
with its line and column; with -dry-run nothing is saved. Otherwise every row
is saved, or none.

Slutstatus / exit status: 0 klart / done, 1 fel i filen / errors in the file,
2 felaktig användning / bad usage.`

// equipmentActorName is who the audit trail says registered the items.
const equipmentActorName = "distans equipment import"

// runEquipment is `distans equipment …`; import is its one command.
func runEquipment(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "import" {
		return &exitError{2, equipmentImportUsage}
	}
	var org string
	var dryRun bool
	c, names, err := config.Load("equipment import", args[1:], getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&org, "org", "", "the organisation's slug")
		fs.BoolVar(&dryRun, "dry-run", false, "check the file and print what would be registered; save nothing")
	})
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(stdout, equipmentImportUsage)
		return nil
	} else if err != nil {
		return &exitError{2, err.Error() + "\n\n" + equipmentImportUsage}
	}
	if org == "" || len(names) != 1 {
		return &exitError{2, "ange -org och en fil / give -org and one file\n\n" + equipmentImportUsage}
	}
	f, err := os.Open(names[0])
	if err != nil {
		return &exitError{2, fmt.Sprintf("kan inte läsa filen / cannot read the file %s: %v", names[0], unwrapPath(err))}
	}
	defer f.Close()

	s, o, err := openOrganisation(ctx, c, org)
	if err != nil {
		return err
	}
	defer s.Close()
	// The store registers items for IT only, never for the system: the
	// command acts as IT over the whole organisation, named as itself in
	// the audit trail, as the operator who runs it on the server may.
	actor := &distans.Actor{OrganisationID: o.ID, Name: equipmentActorName, Language: "sv",
		Grants: []distans.Grant{{Role: distans.RoleIT}}}
	ctx = distans.NewContext(distans.WithNow(ctx, distans.Now()), actor)
	// The import signs nothing: no password is ever asked for.
	svc := equipment.New(equipment.Config{Store: s, Packs: policy.NewService(s, s), Reauth: noReauth{}, Organisations: s, Units: s})
	res, err := svc.ImportItems(ctx, f, dryRun)
	if err != nil {
		return &exitError{1, checkErrorText(err)}
	}
	if len(res.Errors) > 0 {
		fmt.Fprintf(stdout, "%d fel i filen / errors in the file:\n", len(res.Errors))
		for _, e := range res.Errors {
			fmt.Fprintln(stdout, importrun.RowErrorText(e, "sv"))
		}
		return &exitError{1, fmt.Sprintf("%d fel i filen; ingenting är sparat / %d errors in the file; nothing was saved", len(res.Errors), len(res.Errors))}
	}
	if dryRun {
		fmt.Fprintf(stdout, "Provkörning: %d rader kan läsas in; ingenting är sparat / dry run: %d rows can be imported; nothing was saved.\n", res.Rows, res.Rows)
		return nil
	}
	fmt.Fprintf(stdout, "%d enheter utrustning är registrerade / %d items are registered.\n", res.Created, res.Created)
	return nil
}

// noReauth is the re-authentication of a command that signs nothing.
type noReauth struct{}

func (noReauth) Reauthenticate(context.Context, string) error { return distans.Forbidden() }
