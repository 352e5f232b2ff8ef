from __future__ import annotations

from closeloop.partnership.calibration.urls import urlpatterns as calibration
from closeloop.partnership.mentorship.urls import urlpatterns as mentorship
from closeloop.partnership.pulses.urls import urlpatterns as pulses

app_name = "partnership"
urlpatterns = [*calibration, *pulses, *mentorship]
