/**
 * Gateway ↔ fabrication message patterns (request/response). Every request carries
 * `{ actor, data }`; `data` is the DTO class named beside each pattern (dto.ts), validated
 * again by the service, and the answer is the view named (views.ts). The patterns other
 * services use are in messages.ts.
 */
export const FABRICATION_HTTP_PATTERNS = {
  /** CreateFabUnitDto → FabUnitView (the actor becomes its first operator). */
  fabUnitsCreate: 'fabrication.fab-units.create',
  /** ListFabUnitsQueryDto → FabUnitPage. */
  fabUnitsList: 'fabrication.fab-units.list',
  /** FabUnitRefMessage → FabUnitView. */
  fabUnitsGet: 'fabrication.fab-units.get',
  /** UpdateFabUnitMessage → FabUnitView. */
  fabUnitsUpdate: 'fabrication.fab-units.update',
  /** ImportOkwMessage → OkwImportSummary (platform admins). */
  fabUnitsImport: 'fabrication.fab-units.import',
  /** FabUnitRefMessage → OkwExport. */
  fabUnitsExportOkw: 'fabrication.fab-units.export-okw',
  /** OperatorMessage → OperatorsView. */
  operatorsAdd: 'fabrication.operators.add',
  /** OperatorMessage → OperatorsView (409 for the last operator). */
  operatorsRemove: 'fabrication.operators.remove',
  /** CreateMachineMessage → MachineView[] (one per identical machine). */
  machinesCreate: 'fabrication.machines.create',
  /** UpdateMachineMessage → MachineView (the service checks the actor operates its unit). */
  machinesUpdate: 'fabrication.machines.update',
  /** PutStockMessage → MaterialStockView. */
  stockPut: 'fabrication.stock.put',
  /** PutOpeningHoursMessage → OpeningHoursView. */
  openingHoursPut: 'fabrication.opening-hours.put',
  /** CapacityMessage → CapacityView. */
  capacityGet: 'fabrication.capacity.get',
  /** CreateReservationMessage → ReservationView; 409 on overlap. */
  reservationsCreate: 'fabrication.reservations.create',
  /** ListReservationsMessage → ReservationView[]. */
  reservationsList: 'fabrication.reservations.list',
  /** ReservationRefMessage → ReservationView (manual reservations only; job ones end with their job). */
  reservationsCancel: 'fabrication.reservations.cancel',
} as const;
