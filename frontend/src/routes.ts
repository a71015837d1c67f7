import type { Route } from './lib/router/router.svelte';

// The one route table: each page is its own chunk, fetched when first visited.
export const routes: readonly Route[] = [
  { path: '/', load: () => import('./routes/home/HomePage.svelte') },
  { path: '/register', load: () => import('./routes/register/RegisterPage.svelte') },
  { path: '/sign-in', load: () => import('./routes/sign-in/SignInPage.svelte') },
  { path: '/sign-out', load: () => import('./routes/sign-out/SignOutPage.svelte') },
  // Forgotten password: ask for a single-use link by e-mail, then choose a new password with it.
  { path: '/forgot-password', load: () => import('./routes/forgot-password/ForgotPasswordPage.svelte') },
  { path: '/reset-password/:token', load: () => import('./routes/reset-password/ResetPasswordPage.svelte') },
  { path: '/confirm-email/:token', load: () => import('./routes/confirm-email/ConfirmEmailPage.svelte') },
  { path: '/account', load: () => import('./routes/account/AccountPage.svelte'), auth: true },
  // Changing one's own details (/account/name, /account/email, /account/postcode) and password.
  { path: '/account/password', load: () => import('./routes/account/ChangePasswordPage.svelte'), auth: true },
  { path: '/account/emergency-contact', load: () => import('./routes/account/EmergencyContactPage.svelte'), auth: true },
  { path: '/account/:detail', load: () => import('./routes/account/ChangeDetailPage.svelte'), auth: true },
  { path: '/centres', load: () => import('./routes/centres/CentresPage.svelte') },
  { path: '/centres/:id', load: () => import('./routes/centres/CentrePage.svelte') },
  { path: '/sessions', load: () => import('./routes/sessions/FindPage.svelte') },
  { path: '/sessions/:id', load: () => import('./routes/sessions/SessionPage.svelte') },
  // Not `auth`: after a reload with no signal it shows the tickets kept on the phone (see bookings/load.ts).
  { path: '/bookings', load: () => import('./routes/bookings/BookingsPage.svelte') },
  { path: '/notifications', load: () => import('./routes/notifications/NotificationsPage.svelte'), auth: true },
  { path: '/consent/:token', load: () => import('./routes/consent/ConsentPage.svelte') },
  // Coverage: council officers (their own council) and the platform admin (any council).
  { path: '/coverage', load: () => import('./routes/coverage/CoveragePage.svelte'), auth: true },
  // Councils on the platform: the platform admin adds one and invites its first officer.
  { path: '/admin/councils', load: () => import('./routes/admin/CouncilsPage.svelte'), auth: true },
  // Timetable and rota: centre managers and council officers; "My rota" for youth workers.
  { path: '/manage/sessions', load: () => import('./routes/manage/TimetablePage.svelte'), auth: true },
  { path: '/manage/sessions/new', load: () => import('./routes/manage/SeriesFormPage.svelte'), auth: true },
  { path: '/manage/sessions/:id', load: () => import('./routes/manage/SeriesPage.svelte'), auth: true },
  { path: '/manage/sessions/:id/edit', load: () => import('./routes/manage/SeriesFormPage.svelte'), auth: true },
  { path: '/manage/occurrences/:id/bookings', load: () => import('./routes/manage/SessionBookingsPage.svelte'), auth: true },
  // Adding and changing centres: council officers (their own council's).
  { path: '/manage/centres/new', load: () => import('./routes/manage/CentreFormPage.svelte'), auth: true },
  { path: '/manage/centres/:id/edit', load: () => import('./routes/manage/CentreFormPage.svelte'), auth: true },
  { path: '/rota', load: () => import('./routes/rota/RotaPage.svelte'), auth: true },
  { path: '/rota/checks', load: () => import('./routes/rota/ChecksPage.svelte'), auth: true },
  { path: '/rota/sessions/:id', load: () => import('./routes/rota/RotaSessionPage.svelte'), auth: true },
  { path: '/my-rota', load: () => import('./routes/rota/MyRotaPage.svelte'), auth: true },
  // Staff: the council's staff and invitations (managers invite youth workers, officers anyone);
  // the e-mailed invitation link is public and creates the new member of staff's account.
  { path: '/staff', load: () => import('./routes/staff/StaffPage.svelte'), auth: true },
  { path: '/invite/:token', load: () => import('./routes/invite/InvitePage.svelte') },
  // A member of staff's record (DBS, training, hours, availability, leave): managers and officers
  // change it; a youth worker reads their own.
  { path: '/staff/:id/record', load: () => import('./routes/staff/RecordPage.svelte'), auth: true },
  // The access log: who saw a child's emergency contacts, and changes to staff accounts (officers).
  { path: '/access-log', load: () => import('./routes/staff/AccessLogPage.svelte'), auth: true },
  // Correcting a young person's date of birth typed wrong at sign-up, with a reason (officers).
  { path: '/young-people', load: () => import('./routes/staff/DateOfBirthPage.svelte'), auth: true },
  // Registers at the door: youth workers (their own sessions), centre managers and officers. Not
  // `auth`: after a reload with no signal they show the register kept on the phone (see door.ts).
  { path: '/register/today', load: () => import('./routes/register/TodayPage.svelte') },
  { path: '/register/:occurrenceId', load: () => import('./routes/register/SessionRegisterPage.svelte') },
  { path: '/register/:occurrenceId/walk-in', load: () => import('./routes/register/WalkInPage.svelte') },
  { path: '/register/:occurrenceId/roll-call', load: () => import('./routes/register/RollCallPage.svelte') },
];

/** notFound is shown for any path not in the table. */
export const notFound = () => import('./routes/not-found/NotFoundPage.svelte');
